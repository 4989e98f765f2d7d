use seedance_sim::{Route, Sim, SimConfig, TaskScript, SAMPLE_MP4};

use crate::{client, create_task, finished_task_url, get_task, poll_to_end, start, video_url};

#[tokio::test]
async fn good_link_serves_the_fixture() {
    let sim = start().await;
    let url = finished_task_url(&sim).await;
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "video/mp4");
    assert_eq!(
        response.headers()["content-length"],
        SAMPLE_MP4.len().to_string().as_str()
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), SAMPLE_MP4);
    assert!(SAMPLE_MP4.len() > 1000 && &SAMPLE_MP4[4..8] == b"ftyp");
    assert_eq!(sim.counts().result, 1);
}

#[tokio::test]
async fn tampered_links_are_403() {
    let sim = start().await;
    let url = finished_task_url(&sim).await;
    let flipped = {
        let last = url.chars().last().unwrap();
        let replacement = if last == '0' { '1' } else { '0' };
        format!("{}{replacement}", &url[..url.len() - 1])
    };
    let (before, after) = url.split_once("expires=").unwrap();
    let later = format!("{before}expires=9{after}");
    let unsigned = url.split_once("&sig=").unwrap().0.to_owned();
    for bad in [flipped, later, unsigned] {
        let response = client().get(&bad).send().await.unwrap();
        assert_eq!(response.status(), 403, "{bad}");
    }
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn expire_links_makes_issued_links_expire() {
    let sim = start().await;
    let id = create_task(&sim).await;
    let (_, body) = poll_to_end(&sim, &id).await;
    let url = video_url(&body);
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
    sim.expire_links();
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 403);
    let text = response.text().await.unwrap();
    assert!(text.contains("Request has expired"), "{text}");
    // A later poll hands out a fresh, working link.
    let fresh = video_url(&get_task(&sim, &id).await);
    assert_ne!(fresh, url);
    assert_eq!(client().get(&fresh).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn scripted_expired_link() {
    let sim = start().await;
    sim.script_next_task(TaskScript {
        expired_link: true,
        ..TaskScript::default()
    });
    let url = finished_task_url(&sim).await;
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Request has expired"));
}

/// Like a CDN: a strong ETag, and a range asked `If-Range` another version gets the whole file.
#[tokio::test]
async fn results_carry_an_etag_and_honour_if_range() {
    let sim = start().await;
    let url = finished_task_url(&sim).await;
    let whole = client().get(&url).send().await.unwrap();
    let etag = whole.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let same = client()
        .get(&url)
        .header("range", "bytes=1000-")
        .header("if-range", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 206);
    assert_eq!(same.headers()["etag"], etag.as_str());
    let other = client()
        .get(&url)
        .header("range", "bytes=1000-")
        .header("if-range", "\"another-version\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert_eq!(other.bytes().await.unwrap().as_ref(), SAMPLE_MP4);
}

#[tokio::test]
async fn range_requests_resume() {
    let sim = start().await;
    let url = finished_task_url(&sim).await;
    let response = client()
        .get(&url)
        .header("range", "bytes=1000-")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    let total = SAMPLE_MP4.len();
    assert_eq!(
        response.headers()["content-range"],
        format!("bytes 1000-{}/{total}", total - 1).as_str()
    );
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        &SAMPLE_MP4[1000..]
    );
    let bounded = client()
        .get(&url)
        .header("range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(bounded.status(), 206);
    assert_eq!(bounded.bytes().await.unwrap().as_ref(), &SAMPLE_MP4[10..20]);
    let beyond = client()
        .get(&url)
        .header("range", format!("bytes={total}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);
}

#[tokio::test]
async fn authorization_header_presence_is_recorded() {
    let sim = start().await;
    let url = finished_task_url(&sim).await;
    client().get(&url).send().await.unwrap();
    client()
        .get(&url)
        .bearer_auth("leaked")
        .send()
        .await
        .unwrap();
    let result_records: Vec<bool> = sim
        .requests()
        .iter()
        .filter(|record| record.route == Route::Result)
        .map(|record| record.had_authorization)
        .collect();
    assert_eq!(result_records, [false, true]);
}

#[tokio::test]
async fn a_result_file_is_served_instead_of_the_fixture() {
    let path = std::env::temp_dir().join(format!("sim-result-{}.mp4", uuid::Uuid::new_v4()));
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let config = SimConfig {
        result_file: Some(path.clone()),
        ..SimConfig::fast()
    };
    let sim = Sim::start(config).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let url = finished_task_url(&sim).await;
    let whole = client().get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.bytes().await.unwrap().as_ref(), &content[..]);
    let tail = client()
        .get(&url)
        .header("range", "bytes=299990-")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &content[299_990..]);

    let missing = SimConfig {
        result_file: Some(path),
        ..SimConfig::fast()
    };
    assert!(Sim::start(missing).await.is_err());
}

#[tokio::test]
async fn requests_since_gives_the_rest_of_the_log() {
    let sim = start().await;
    let id = create_task(&sim).await;
    get_task(&sim, &id).await;
    assert_eq!(sim.requests_since(0).len(), 2);
    let rest = sim.requests_since(1);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].route, Route::GetTask);
    assert_eq!(rest[0].path, format!("/v1/tasks/{id}"));
    assert!(sim.requests_since(2).is_empty() && sim.requests_since(99).is_empty());
}

#[tokio::test]
async fn a_cut_body_breaks_the_connection_after_the_bytes_asked_for() {
    use seedance_sim::Fault;
    let sim = start().await;
    let url = finished_task_url(&sim).await;
    sim.push_fault(Route::Result, Fault::CutBody { after_bytes: 1000 });
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // The headers promise the whole video; the body stops short and the read fails.
    assert_eq!(
        response.headers()["content-length"],
        SAMPLE_MP4.len().to_string().as_str()
    );
    assert!(response.bytes().await.is_err());

    // Queued faults can be dropped; the next request is whole again.
    sim.push_fault(Route::Result, Fault::CutBody { after_bytes: 10 });
    sim.clear_faults();
    let bytes = client()
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), SAMPLE_MP4);
}
