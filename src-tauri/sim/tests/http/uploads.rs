use std::time::Duration;

use base64::Engine;
use reqwest::multipart::{Form, Part};
use seedance_sim::{Sim, MAX_UPLOAD_BYTES};
use serde_json::{json, Value};

use crate::{client, client_with_timeout, start};

fn fake_png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..len).map(|i| (i % 251) as u8));
    bytes
}

async fn upload_file(sim: &Sim, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name("frame.png"));
    client_with_timeout(Duration::from_secs(15))
        .post(format!("{}/api/upload/file", sim.upload_base()))
        .bearer_auth(sim.token())
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn post_json(sim: &Sim, path: &str, body: &Value) -> reqwest::Response {
    client()
        .post(format!("{}{path}", sim.upload_base()))
        .bearer_auth(sim.token())
        .json(body)
        .send()
        .await
        .unwrap()
}

fn assert_reply_shape(sim: &Sim, reply: &Value, size: usize, content_type: &str) {
    let url = reply["url"].as_str().unwrap();
    let key = reply["key"].as_str().unwrap();
    assert!(key.starts_with("uploads/"), "{reply}");
    assert_eq!(url, format!("{}/{key}", sim.result_base()));
    assert!(
        reply["cn_url"].as_str().unwrap().starts_with(url),
        "{reply}"
    );
    let md5 = reply["md5"].as_str().unwrap();
    assert!(
        md5.len() == 32 && md5.chars().all(|c| c.is_ascii_hexdigit()),
        "{reply}"
    );
    assert_eq!(reply["size"], size);
    assert_eq!(reply["content_type"], content_type);
    let expires = reply["expires_at"].as_str().unwrap();
    assert_eq!(expires.len(), 24, "{expires}");
    assert!(expires.ends_with('Z') && &expires[10..11] == "T" && &expires[19..20] == ".");
}

#[tokio::test]
async fn file_upload_reply_and_fetch_back() {
    let sim = start().await;
    let bytes = fake_png(4000);
    let response = upload_file(&sim, bytes.clone()).await;
    assert_eq!(response.status(), 200);
    let reply: Value = response.json().await.unwrap();
    assert_reply_shape(&sim, &reply, bytes.len(), "image/png");
    assert!(reply["key"].as_str().unwrap().ends_with(".png"));
    let fetched = client()
        .get(reply["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.headers()["content-type"], "image/png");
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let via_cn = client()
        .get(reply["cn_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(via_cn.status(), 200);
    assert_eq!(sim.counts().upload, 1);
}

#[tokio::test]
async fn md5_is_of_the_bytes() {
    let sim = start().await;
    let reply: Value = upload_file(&sim, b"abc".to_vec())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reply["md5"], "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(reply["content_type"], "application/octet-stream");
}

#[tokio::test]
async fn base64_upload() {
    let sim = start().await;
    let bytes = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5];
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let response = post_json(
        &sim,
        "/api/upload/base64",
        &json!({"data": format!("data:image/png;base64,{encoded}")}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let reply: Value = response.json().await.unwrap();
    // Sniffed from the bytes, not from the declared type.
    assert_reply_shape(&sim, &reply, bytes.len(), "image/jpeg");
    let fetched = client()
        .get(reply["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let bad = post_json(
        &sim,
        "/api/upload/base64",
        &json!({"data": "data:image/png;base64,%%%"}),
    )
    .await;
    assert_eq!(bad.status(), 400);
    let missing = post_json(&sim, "/api/upload/base64", &json!({})).await;
    assert_eq!(missing.status(), 400);
}

#[tokio::test]
async fn url_upload() {
    let sim = start().await;
    let remote = "https://images.example.test/cat.webp?x=1";
    let response = post_json(&sim, "/api/upload/url", &json!({"url": remote})).await;
    assert_eq!(response.status(), 200);
    let reply: Value = response.json().await.unwrap();
    assert_reply_shape(&sim, &reply, remote.len(), "image/webp");
    let named = post_json(
        &sim,
        "/api/upload/url",
        &json!({"url": "https://images.example.test/x", "filename": "x.JPG"}),
    )
    .await;
    let named: Value = named.json().await.unwrap();
    assert_eq!(named["content_type"], "image/jpeg");
    // Not fetched: the stored upload redirects to the original (redirects are off in the test client).
    let fetched = client()
        .get(reply["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 302);
    assert_eq!(fetched.headers()["location"], remote);
    for bad in [
        json!({"url": "ftp://x.test/a.png"}),
        json!({"filename": "a.png"}),
    ] {
        assert_eq!(
            post_json(&sim, "/api/upload/url", &bad).await.status(),
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn fifty_megabyte_limit() {
    let sim = start().await;
    let at_limit = upload_file(&sim, vec![0u8; MAX_UPLOAD_BYTES]).await;
    assert_eq!(at_limit.status(), 200);
    let over = upload_file(&sim, vec![0u8; MAX_UPLOAD_BYTES + 1]).await;
    assert_eq!(over.status(), 413);
    let way_over = upload_file(&sim, vec![0u8; 70 * 1024 * 1024]).await;
    assert_eq!(way_over.status(), 413);
}

#[tokio::test]
async fn uploads_need_the_token() {
    let sim = start().await;
    let response = client()
        .post(format!("{}/api/upload/url", sim.upload_base()))
        .json(&json!({"url": "https://x.test/a.png"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let unknown = client()
        .get(format!("{}/uploads/sim/nothing.png", sim.result_base()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
