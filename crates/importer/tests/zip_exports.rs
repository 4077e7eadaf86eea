//! `.zip` exports: finding the chat, linking media, copying it out, refusing hostile archives.

use std::io::Write;
use std::path::{Path, PathBuf};

use tourdesk_importer::{
    copy_attachments, dry_run, parse_path, parse_zip, ImportError, ImportOptions, MessageKind,
    ParseOptions, ZipLimits,
};
use zip::write::SimpleFileOptions;

const CHAT: &str =
    "[13.06.18, 21:25:15] Ivan: \u{200E}Messages and calls are end-to-end encrypted.\n\
[13.06.18, 21:26:00] Ivan: Hello, how much is the tour?\n\
[13.06.18, 21:27:00] Ivan: \u{200E}<attached: 00000042-PHOTO-2018-06-13-21-27-00.jpg>\n\
[13.06.18, 21:28:00] Tourdesk: \u{200E}<attached: 00000043-DOC-missing.pdf>\n";

fn write_zip(dir: &Path, name: &str, entries: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    for (entry, data) in entries {
        zip.start_file(*entry, SimpleFileOptions::default())
            .expect("start entry");
        zip.write_all(data).expect("write entry");
    }
    zip.finish().expect("finish zip");
    path
}

#[test]
fn an_ios_zip_is_parsed_and_its_photo_is_linked_and_copied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = vec![7u8; 3000];
    let zip = write_zip(
        dir.path(),
        "WhatsApp Chat - Ivan.zip",
        &[
            ("_chat.txt", CHAT.as_bytes()),
            ("00000042-PHOTO-2018-06-13-21-27-00.jpg", &photo),
        ],
    );
    let chat = parse_path(&zip, &ImportOptions::default()).expect("parse zip");
    assert_eq!(chat.len(), 4);
    let m = chat.message(2).expect("attachment message");
    assert_eq!(m.kind, MessageKind::Attachment);
    let a = m.attachment.expect("attachment");
    assert_eq!(
        a.zip_entry.as_deref(),
        Some("00000042-PHOTO-2018-06-13-21-27-00.jpg")
    );
    assert_eq!(a.size, Some(3000));
    let missing = chat
        .message(3)
        .and_then(|m| m.attachment)
        .expect("named file");
    assert_eq!(missing.zip_entry, None);

    let dest = dir.path().join("media");
    let copied = copy_attachments(&zip, &chat, &dest, &ZipLimits::default()).expect("copy");
    assert_eq!(copied.len(), 1);
    assert_eq!(copied[0].bytes, 3000);
    assert_eq!(
        std::fs::read(dest.join("00000042-PHOTO-2018-06-13-21-27-00.jpg")).expect("read"),
        photo
    );
    // A second copy keeps the file and reports it again.
    let again = copy_attachments(&zip, &chat, &dest, &ZipLimits::default()).expect("copy again");
    assert_eq!(again.len(), 1);
}

#[test]
fn an_android_zip_with_a_localised_chat_name_is_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chat = "13/06/2018, 21:26 - +62 821-5555-0101: Halo\n13/06/2018, 21:27 - +62 821-5555-0101: IMG-20180613-WA0001.jpg (file attached)\n";
    let zip = write_zip(
        dir.path(),
        "x.zip",
        &[
            ("IMG-20180613-WA0001.jpg", b"jpeg"),
            (
                "Chat de WhatsApp con +62 821-5555-0101.txt",
                chat.as_bytes(),
            ),
        ],
    );
    let parsed = parse_zip(&zip, &ParseOptions::default(), &ZipLimits::default()).expect("parse");
    assert_eq!(parsed.len(), 2);
    assert_eq!(
        parsed.attachments()[0].zip_entry.as_deref(),
        Some("IMG-20180613-WA0001.jpg")
    );
}

#[test]
fn path_traversal_in_an_entry_name_refuses_the_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    for evil in [
        "../evil.jpg",
        "/etc/evil.jpg",
        "media/../../evil.jpg",
        "C:\\evil.jpg",
    ] {
        let zip = write_zip(
            dir.path(),
            "evil.zip",
            &[("_chat.txt", CHAT.as_bytes()), (evil, b"x")],
        );
        let err = parse_zip(&zip, &ParseOptions::default(), &ZipLimits::default())
            .expect_err("must refuse");
        assert!(
            matches!(err, ImportError::ZipRefused { .. }),
            "{evil}: {err}"
        );
    }
}

#[test]
fn too_many_entries_or_too_many_bytes_refuse_the_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zeros = vec![0u8; 200_000];
    let zip = write_zip(
        dir.path(),
        "bomb.zip",
        &[
            ("_chat.txt", CHAT.as_bytes()),
            ("a.bin", &zeros),
            ("b.bin", &zeros),
        ],
    );
    let small = ZipLimits {
        max_entries: 10,
        max_total_bytes: 300_000,
        max_entry_bytes: 1 << 20,
    };
    let err = parse_zip(&zip, &ParseOptions::default(), &small).expect_err("total");
    assert!(matches!(err, ImportError::ZipRefused { .. }), "{err}");
    let few = ZipLimits {
        max_entries: 2,
        ..ZipLimits::default()
    };
    let err = parse_zip(&zip, &ParseOptions::default(), &few).expect_err("entries");
    assert!(err.to_string().contains("entries"), "{err}");
    let per_entry = ZipLimits {
        max_entry_bytes: 100_000,
        ..ZipLimits::default()
    };
    assert!(parse_zip(&zip, &ParseOptions::default(), &per_entry).is_err());
}

/// Rewrites the declared uncompressed size of every entry in a stored (uncompressed) zip.
fn forge_declared_sizes(bytes: &mut [u8], declared: u32) {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        let sig = &bytes[i..i + 4];
        if sig == b"PK\x03\x04" {
            bytes[i + 22..i + 26].copy_from_slice(&declared.to_le_bytes());
        } else if sig == b"PK\x01\x02" && i + 46 <= bytes.len() {
            bytes[i + 24..i + 28].copy_from_slice(&declared.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn an_entry_that_unpacks_to_more_than_it_declares_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("liar.zip");
    {
        let file = std::fs::File::create(&path).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("_chat.txt", stored).expect("start");
        zip.write_all(CHAT.repeat(50).as_bytes()).expect("write");
        zip.finish().expect("finish");
    }
    let mut bytes = std::fs::read(&path).expect("read");
    forge_declared_sizes(&mut bytes, 100);
    std::fs::write(&path, bytes).expect("write");
    let result = parse_zip(&path, &ParseOptions::default(), &ZipLimits::default());
    match result {
        Err(ImportError::ZipRefused { .. }) | Err(ImportError::Zip { .. }) => {}
        Err(other) => panic!("unexpected error {other}"),
        Ok(chat) => panic!("parsed {} messages past the declared size", chat.len()),
    }
}

#[test]
fn a_zip_without_a_chat_text_and_a_damaged_zip_give_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = write_zip(dir.path(), "media-only.zip", &[("IMG-1.jpg", b"x")]);
    let err =
        parse_zip(&zip, &ParseOptions::default(), &ZipLimits::default()).expect_err("no chat");
    assert!(matches!(err, ImportError::NoChatInZip(_)), "{err}");
    let broken = dir.path().join("broken.zip");
    std::fs::write(&broken, b"PK\x03\x04 definitely not a zip").expect("write");
    let report = dry_run(&broken, &ImportOptions::default());
    assert_eq!(report.messages, 0);
    assert_eq!(report.errors.len(), 1);
}
