//! A file sink that behaves like a disk with little room left: writes succeed until `room`
//! bytes are used, then fail with ENOSPC, as `write(2)` does on a full disk.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use tourdesk_app::FileSink;

/// A disk with `room` bytes free (shared, so a test can free space later).
#[derive(Clone)]
pub struct SmallDisk {
    pub room: Arc<AtomicI64>,
}

impl SmallDisk {
    pub fn with_room(bytes: i64) -> Self {
        Self {
            room: Arc::new(AtomicI64::new(bytes)),
        }
    }
}

struct Limited {
    file: std::fs::File,
    room: Arc<AtomicI64>,
}

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let left = self.room.load(Ordering::SeqCst);
        if left <= 0 {
            return Err(std::io::Error::from_raw_os_error(28));
        }
        let n = buf.len().min(left as usize);
        let n = self.file.write(&buf[..n])?;
        self.room.fetch_sub(n as i64, Ordering::SeqCst);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl FileSink for SmallDisk {
    fn create(&self, path: &Path) -> std::io::Result<Box<dyn Write>> {
        Ok(Box::new(Limited {
            file: std::fs::File::create(path)?,
            room: self.room.clone(),
        }))
    }
}
