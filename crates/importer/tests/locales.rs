//! Header styles, markers and invisible characters of phone locales beyond the shared corpus.

use tourdesk_importer::{parse_str, Chat, DateOrder, DateOrderBasis, MessageKind, ParseOptions};

fn parse(text: &str) -> Chat {
    parse_str(text, &ParseOptions::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn iso(chat: &Chat, i: usize) -> String {
    chat.message(i)
        .and_then(|m| m.at)
        .map(|a| a.to_iso())
        .unwrap_or_default()
}

#[test]
fn arabic_indic_digits_with_right_to_left_marks_and_arabic_pm_parse() {
    // Android in Arabic: ١٣‏/٦‏/٢٠١٨ ١:٥٥ م - name: text
    let chat = parse("١٣\u{200F}/٦\u{200F}/٢٠١٨ ١:٥٥ م - أحمد: مرحبا، كم سعر الرحلة؟\n");
    assert_eq!(iso(&chat, 0), "2018-06-13T13:55:00");
    let m = chat.message(0).expect("message");
    assert_eq!(m.author, Some("أحمد"));
    assert_eq!(m.text, "مرحبا، كم سعر الرحلة؟");
}

#[test]
fn arabic_morning_marker_and_extended_arabic_indic_digits_parse() {
    let chat = parse("۲۰۱۸/۰۶/۱۳، ۹:۰۵ ص - Ali: salam\n");
    assert_eq!(iso(&chat, 0), "2018-06-13T09:05:00");
}

#[test]
fn german_vorm_and_nachm_markers_set_the_hour() {
    let chat = parse(
        "13.06.18, 9:05 vorm. - Anna: Guten Morgen\n13.06.18, 12:30 nachm. - Anna: Mittag\n13.06.18, 12:10 vorm. - Anna: Nacht\n",
    );
    assert_eq!(iso(&chat, 0), "2018-06-13T09:05:00");
    assert_eq!(iso(&chat, 1), "2018-06-13T12:30:00");
    assert_eq!(iso(&chat, 2), "2018-06-13T00:10:00");
}

#[test]
fn ios_bracketed_headers_with_bom_crlf_and_lrm_system_lines_parse() {
    let text = "\u{FEFF}[13.06.18, 21:25:15] Ivan: \u{200E}Messages and calls are end-to-end encrypted.\r\n\
[13.06.18, 21:26:00] Ivan: Hello\r\nsecond line\r\n\
[13.06.18, 21:27:00] \u{202A}+7 916 123-45-67\u{202C}: \u{200E}image omitted\r\n\
[13.06.18, 21:28:00] Ivan: \u{200E}<attached: 00000042-PHOTO-2018-06-13-21-28-00.jpg>\r\n";
    let chat = parse(text);
    assert_eq!(chat.len(), 4);
    let kinds: Vec<MessageKind> = chat.messages().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![
            MessageKind::System,
            MessageKind::Text,
            MessageKind::MediaOmitted,
            MessageKind::Attachment
        ]
    );
    assert_eq!(chat.message(1).map(|m| m.text), Some("Hello\nsecond line"));
    assert_eq!(
        chat.message(2).and_then(|m| m.author),
        Some("+7 916 123-45-67")
    );
    assert_eq!(iso(&chat, 0), "2018-06-13T21:25:15");
    assert_eq!(chat.participants(), vec!["Ivan", "+7 916 123-45-67"]);
}

#[test]
fn korean_and_japanese_markers_before_the_time_parse() {
    let chat = parse(
        "2018. 6. 13. 오후 1:55 - 민수: 안녕하세요\n2018/06/13 午前9:05 - 花子: こんにちは\n",
    );
    assert_eq!(iso(&chat, 0), "2018-06-13T13:55:00");
    assert_eq!(iso(&chat, 1), "2018-06-13T09:05:00");
}

#[test]
fn spanish_p_m_with_no_break_space_and_narrow_space_before_pm_parse() {
    let chat = parse("3/6/18 1:55 p.\u{A0}m. - Ana: hola\n3/6/18, 2:05\u{202F}PM - Ana: adiós\n");
    assert_eq!(iso(&chat, 0), "2018-06-03T13:55:00");
    assert_eq!(iso(&chat, 1), "2018-06-03T14:05:00");
    assert_eq!(chat.message(0).and_then(|m| m.author), Some("Ana"));
}

#[test]
fn day_month_order_follows_the_component_above_12_and_can_be_overridden() {
    let text = "05/03/2023, 10:00 - A: x\n05/14/2023, 10:00 - A: y\n";
    let chat = parse(text);
    assert_eq!(chat.date_order(), DateOrder::MonthFirst);
    assert_eq!(chat.date_order_basis(), DateOrderBasis::ComponentAbove12);
    assert_eq!(iso(&chat, 0), "2023-05-03T10:00:00");
    let forced = parse_str(
        "05/03/2023, 10:00 - A: x\n",
        &ParseOptions {
            date_order: Some(DateOrder::MonthFirst),
            ..ParseOptions::default()
        },
    )
    .expect("parse");
    assert_eq!(forced.date_order_basis(), DateOrderBasis::Caller);
    assert_eq!(iso(&forced, 0), "2023-05-03T10:00:00");
}

#[test]
fn the_component_that_changes_more_often_is_taken_as_the_day() {
    let text = "01/02/2023, 10:00 - A: x\n02/02/2023, 10:00 - A: y\n03/02/2023, 10:00 - A: z\n";
    let chat = parse(text);
    assert_eq!(chat.date_order(), DateOrder::DayFirst);
    assert_eq!(chat.date_order_basis(), DateOrderBasis::ChangeFrequency);
    assert_eq!(iso(&chat, 2), "2023-02-03T10:00:00");
    let other =
        parse("02/01/2023, 10:00 - A: x\n02/02/2023, 10:00 - A: y\n02/03/2023, 10:00 - A: z\n");
    assert_eq!(other.date_order(), DateOrder::MonthFirst);
    assert_eq!(iso(&other, 2), "2023-02-03T10:00:00");
}

#[test]
fn localised_media_deleted_and_view_once_markers_are_recognised() {
    let cases = [
        ("<Media omitted>", MessageKind::MediaOmitted),
        ("<Без медиафайлов>", MessageKind::MediaOmitted),
        ("<Multimedia omitido>", MessageKind::MediaOmitted),
        ("<Medien ausgeschlossen>", MessageKind::MediaOmitted),
        ("<Médias omis>", MessageKind::MediaOmitted),
        ("<pominięto multimedia>", MessageKind::MediaOmitted),
        ("<تم استبعاد الوسائط>", MessageKind::MediaOmitted),
        ("This message was deleted", MessageKind::Deleted),
        ("You deleted this message", MessageKind::Deleted),
        ("\u{200E}This message was deleted.", MessageKind::Deleted),
        ("Данное сообщение удалено", MessageKind::Deleted),
        ("Это сообщение удалено", MessageKind::Deleted),
        ("THIS MESSAGE WAS DELETED", MessageKind::Deleted),
        ("Se eliminó este mensaje", MessageKind::Deleted),
        ("Diese Nachricht wurde gelöscht", MessageKind::Deleted),
        ("Ta wiadomość została usunięta", MessageKind::Deleted),
        ("تم حذف هذه الرسالة", MessageKind::Deleted),
        ("<View once voice message omitted>", MessageKind::ViewOnce),
        ("null", MessageKind::ViewOnce),
        (
            "IMG-20210428-WA0001.jpg (файл прикреплён)",
            MessageKind::Attachment,
        ),
        (
            "DOC-20210428-WA0002.pdf (archivo adjunto)",
            MessageKind::Attachment,
        ),
        (
            "<Anhang: 00000012-PHOTO-2021-04-28.jpg>",
            MessageKind::Attachment,
        ),
        ("I omitted nothing, all good", MessageKind::Text),
        ("Привет! Сколько стоит тур?", MessageKind::Text),
    ];
    for (body, kind) in cases {
        let chat = parse(&format!("28/04/2021, 10:00 - Client: {body}\n"));
        assert_eq!(chat.message(0).map(|m| m.kind), Some(kind), "{body:?}");
    }
}

#[test]
fn system_events_without_author_are_kept_apart_from_user_messages() {
    let chat = parse(
        "28/04/2021, 10:00 - Messages and calls are end-to-end encrypted.\n28/04/2021, 10:01 - Maria: Hola\n28/04/2021, 10:02 - Maria changed the subject to \"Trip: Bali\"\n",
    );
    assert_eq!(chat.user_message_count(), 1);
    assert_eq!(chat.system_message_count(), 2);
    assert_eq!(chat.message(2).map(|m| m.author), Some(None));
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning() {
    let bytes = b"28/04/2021, 10:00 - Jan: cze\xff\xfe\n28/04/2021, 10:01 - Jan: ok\n";
    let chat =
        tourdesk_importer::parse_reader(&bytes[..], &ParseOptions::default()).expect("parse");
    assert_eq!(chat.len(), 2);
    assert_eq!(chat.message(0).map(|m| m.text), Some("cze\u{FFFD}\u{FFFD}"));
    assert_eq!(
        chat.warnings(),
        &[tourdesk_core::import::ImportNote::InvalidUtf8 { lines: 1 }]
    );
}

#[test]
fn dotted_24_hour_times_and_finnish_klo_parse() {
    let chat = parse("13.6.2018 klo 21.25 - Aino: moi\n14.6.2018 klo 8.05 - Aino: hei\n");
    assert_eq!(iso(&chat, 0), "2018-06-13T21:25:00");
    assert_eq!(iso(&chat, 1), "2018-06-14T08:05:00");
}

#[test]
fn a_body_line_that_merely_starts_with_a_number_continues_the_message() {
    let chat =
        parse("28/04/2021, 10:00 - Olga: We are\n2 adults and 1 child\n12/05 - 19/05 maybe\n");
    assert_eq!(chat.len(), 1);
    assert_eq!(
        chat.message(0).map(|m| m.text),
        Some("We are\n2 adults and 1 child\n12/05 - 19/05 maybe")
    );
}

#[test]
fn tiny_read_buffers_give_the_same_messages_as_one_big_read() {
    let text = "\u{FEFF}[13.06.18, 21:25:15] Ivan: \u{200E}image omitted\r\n[13.06.18, 21:26:00] Ivan: Привет\nвторая строка\n13/06/2018, 21:27 - Ана: ¿Qué tal?\u{A0}bien\n13/06/2018, 21:28 - Ана: bad \u{FF}";
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0xFF); // invalid UTF-8 at the very end, without a final line break
    let whole =
        tourdesk_importer::parse_reader(&bytes[..], &ParseOptions::default()).expect("whole");
    for cap in [1, 2, 3, 7, 16, 64] {
        let reader = std::io::BufReader::with_capacity(cap, &bytes[..]);
        let chunked =
            tourdesk_importer::parse_reader(reader, &ParseOptions::default()).expect("chunked");
        let a: Vec<_> = whole.messages().collect();
        let b: Vec<_> = chunked.messages().collect();
        assert_eq!(a, b, "buffer of {cap} bytes");
        assert_eq!(
            whole.warnings(),
            chunked.warnings(),
            "buffer of {cap} bytes"
        );
    }
    assert_eq!(whole.len(), 4);
    assert_eq!(whole.message(2).map(|m| m.text), Some("¿Qué tal? bien"));
    assert_eq!(
        whole.message(1).map(|m| m.text),
        Some("Привет\nвторая строка")
    );
    assert_eq!(whole.warnings().len(), 1);
}
