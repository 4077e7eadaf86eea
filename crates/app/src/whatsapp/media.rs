//! Media files: attachments the manager sends (saved under the media folder) and stored media
//! handed to the page.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use tourdesk_core::message::MessageKind;
use tourdesk_core::whatsapp::{Attachment, MediaData, MAX_ATTACHMENT_BYTES};
use tourdesk_core::{AppError, AppResult, ErrorCode, MessageId};
use tourdesk_store::messages;

use crate::{App, Session};

/// Sub-folder of the data folder where media (received and sent) is kept.
pub const MEDIA_DIR: &str = "media";

/// An attachment the manager sends, saved under the media folder.
pub(super) struct SavedFile {
    /// Where it is kept.
    pub path: PathBuf,
    /// Its MIME type (given by the page, else guessed from the name).
    pub mime: String,
    /// The file name the client sees.
    pub name: String,
}

/// The message kind for a MIME type of a file the manager attaches.
pub(super) fn kind_of_mime(mime: &str) -> MessageKind {
    if mime.starts_with("image/") {
        MessageKind::Image
    } else if mime.starts_with("audio/") {
        MessageKind::Audio
    } else if mime.starts_with("video/") {
        MessageKind::Video
    } else {
        MessageKind::Document
    }
}

/// A MIME type from a file name when the page gave none.
fn mime_of_name(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "ogg" | "opus" => "audio/ogg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// A file name safe to keep on disk: no folders, no control or reserved characters.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !"<>:\"|?*".contains(*c))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

impl App {
    /// The media folder (created on first use).
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir().join(MEDIA_DIR)
    }

    /// Saves an attachment the manager sends under the media folder.
    pub(super) fn save_outgoing_file(&self, att: &Attachment) -> AppResult<SavedFile> {
        let bad = |msg: &str| AppError::field(ErrorCode::InvalidAttachment, "attachment", msg);
        // base64 is 4/3 of the bytes: refuse oversize input before decoding it.
        if att.data_base64.len() > MAX_ATTACHMENT_BYTES / 3 * 4 + 8 {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "attachment",
                "the file is larger than 32 MiB",
            ));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(att.data_base64.trim())
            .map_err(|_| bad("the file could not be read"))?;
        if bytes.is_empty() {
            return Err(bad("the file is empty"));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "attachment",
                "the file is larger than 32 MiB",
            ));
        }
        let name = safe_file_name(&att.file_name);
        let mime = if att.mime.trim().is_empty() {
            mime_of_name(&name).to_string()
        } else {
            att.mime.trim().to_string()
        };
        let dir = self.media_dir().join("out");
        std::fs::create_dir_all(&dir)
            .map_err(tourdesk_store::fault::io_err("create media folder"))?;
        let path = dir.join(format!("{}-{name}", self.new_uuid()));
        crate::files::write_whole(&*self.files, &path, &bytes)?;
        Ok(SavedFile { path, mime, name })
    }

    /// A message's media file, for the page to show or save. Only files under the media folder
    /// are ever read.
    pub fn message_media(&self, s: &Session, message: MessageId) -> AppResult<MediaData> {
        let _span = tracing::debug_span!("message_media").entered();
        let a = self.actor(s)?;
        let m = self.store.read(|c| messages::get(c, a.tenant, message))?;
        let path = m.media_path.ok_or_else(|| AppError::not_found("media"))?;
        let path = Path::new(&path);
        let root = self
            .media_dir()
            .canonicalize()
            .map_err(|_| AppError::not_found("media"))?;
        let real = path
            .canonicalize()
            .map_err(|_| AppError::not_found("media"))?;
        if !real.starts_with(&root) {
            return Err(AppError::not_found("media"));
        }
        let bytes =
            std::fs::read(&real).map_err(|e| AppError::storage(format!("read media: {e}")))?;
        let file_name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Saved names start with a 36-character id and a dash.
        let file_name = if file_name.len() > 37 && file_name.as_bytes()[36] == b'-' {
            file_name[37..].to_string()
        } else {
            file_name
        };
        Ok(MediaData {
            mime: m
                .media_mime
                .unwrap_or_else(|| mime_of_name(&file_name).to_string()),
            file_name,
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }
}
