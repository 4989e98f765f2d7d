//! A real clip is megabytes and a long one hundreds: the video source streams it from disk in small chunks,
//! so what it holds in memory does not grow with the file, even while the player reads slowly.

use std::io::{Seek, SeekFrom, Write};

use crate::support::media::Fixture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LARGE: u64 = 50 * 1024 * 1024;
/// Far below the file, above the few 64 KiB chunks the connection's write buffer may queue.
const MEMORY_BOUND: usize = 2 * 1024 * 1024;
/// Bytes written at known offsets of the otherwise sparse (all-zero) file, to check that they arrive in place.
const MARKS: [u64; 4] = [0, 7 * 1024 * 1024 + 3, 31 * 1024 * 1024 + 17, LARGE - 8];

fn sparse_clip(fx: &Fixture) -> std::path::PathBuf {
    let path = fx.dir.path().join("long.mp4");
    let mut file = std::fs::File::create(&path).unwrap();
    file.set_len(LARGE).unwrap();
    for at in MARKS {
        file.seek(SeekFrom::Start(at)).unwrap();
        file.write_all(b"SEEDANCE").unwrap();
    }
    path
}

/// Reads the body of a response on `stream` in pieces of `piece` bytes, pausing once a few megabytes in (a
/// player that has buffered enough), and returns the bytes at each mark.
async fn read_body_slowly(stream: &mut TcpStream, body_len: u64) -> Vec<Vec<u8>> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut b = [0u8; 1];
        stream.read_exact(&mut b).await.unwrap();
        head.push(b[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    let mut marks = vec![Vec::new(); MARKS.len()];
    let mut buf = vec![0u8; 256 * 1024];
    let mut at = 0u64;
    let mut paused = false;
    while at < body_len {
        if !paused && at > 4 * 1024 * 1024 {
            paused = true;
            // However long the pause, a streaming server waits for the socket; this only gives a server that
            // read ahead unbounded the time to show it.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the body ended at {at} of {body_len}");
        for (i, mark) in MARKS.iter().enumerate() {
            let (from, to) = (at, at + n as u64);
            let want = (*mark..*mark + 8).filter(|p| (from..to).contains(p));
            marks[i].extend(want.map(|p| buf[usize::try_from(p - from).unwrap()]));
        }
        at += n as u64;
    }
    marks
}

#[tokio::test]
async fn a_50_mb_clip_streams_without_the_server_holding_it() {
    let fx = Fixture::start().await;
    let id = fx.done_job(&sparse_clip(&fx));
    let mut stream = TcpStream::connect(fx.server.addr()).await.unwrap();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        fx.target(&id),
        fx.server.addr()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let marks = read_body_slowly(&mut stream, LARGE).await;
    for (i, m) in marks.iter().enumerate() {
        assert_eq!(
            m.as_slice(),
            b"SEEDANCE",
            "the bytes at {} arrive in place",
            MARKS[i]
        );
    }
    let peak = fx.server.stats().peak_bytes_buffered();
    assert!(peak > 0, "the file went through the counted chunks");
    assert!(
        peak <= MEMORY_BOUND,
        "the server held {peak} bytes of a {LARGE}-byte file at once"
    );
    drop(stream);
    // Everything read was released once the response was written.
    for _ in 0..200 {
        if fx.server.stats().bytes_buffered() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(fx.server.stats().bytes_buffered(), 0);
}
