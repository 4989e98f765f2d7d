//! A response body that reads a byte range of a file in small chunks, as the connection asks for them.
//! hyper polls for the next chunk only once the previous ones are written, so a client that reads slowly
//! holds the server at a few chunks, whatever the file's size.

use std::io::SeekFrom;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::Stream;
use tokio::fs::File;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Small enough that a dozen queued in the connection's write buffer stay under a megabyte.
pub(crate) const CHUNK: usize = 64 * 1024;

/// File bytes read into memory and not yet released (written out or dropped), now and at most.
#[derive(Debug, Default)]
pub struct BufferStats {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl BufferStats {
    pub fn bytes_buffered(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    pub fn peak_bytes_buffered(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    fn add(&self, n: usize) {
        let now = self.now.fetch_add(n, Ordering::SeqCst) + n;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }
}

/// A chunk's memory, counted in [`BufferStats`] from the read until hyper lets go of it.
struct CountedChunk {
    data: Vec<u8>,
    stats: Arc<BufferStats>,
}

impl AsRef<[u8]> for CountedChunk {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for CountedChunk {
    fn drop(&mut self) {
        self.stats.now.fetch_sub(self.data.len(), Ordering::SeqCst);
    }
}

struct Reader {
    file: File,
    remaining: u64,
    stats: Arc<BufferStats>,
}

/// `len` bytes of `file` from `start`. A file that shrinks meanwhile ends the stream with an error, which
/// closes the connection short of its `Content-Length`, so the player sees a failed read, not a short clip.
pub(crate) async fn file_range(
    mut file: File,
    start: u64,
    len: u64,
    stats: Arc<BufferStats>,
) -> std::io::Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static> {
    file.seek(SeekFrom::Start(start)).await?;
    let reader = Reader {
        file,
        remaining: len,
        stats,
    };
    Ok(futures_util::stream::try_unfold(
        reader,
        |mut r| async move {
            if r.remaining == 0 {
                return Ok(None);
            }
            let n = usize::try_from(r.remaining).map_or(CHUNK, |left| left.min(CHUNK));
            let mut data = vec![0u8; n];
            r.file.read_exact(&mut data).await?;
            r.remaining -= n as u64;
            r.stats.add(n);
            let chunk = Bytes::from_owner(CountedChunk {
                data,
                stats: r.stats.clone(),
            });
            Ok(Some((chunk, r)))
        },
    ))
}
