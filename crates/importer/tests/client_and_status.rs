//! Who the client is, the first funnel status, and the dry-run report.

use std::path::Path;

use tourdesk_importer::{
    contact_from_file_name, dry_run, identify_client, parse_str, phone_from, suggest_status,
    FunnelStatus, ImportOptions, ParseOptions,
};

fn own() -> Vec<String> {
    vec!["Tourdesk Sales".to_string(), "Olga (manager)".to_string()]
}

#[test]
fn the_client_is_the_participant_who_is_not_one_of_our_names() {
    let chat = parse_str(
        "01/07/2024, 10:00 - \u{202A}+62 821-5555-0101\u{202C}: Hi\n01/07/2024, 10:05 - tourdesk sales: Hello!\n",
        &ParseOptions::default(),
    )
    .expect("parse");
    let guess = identify_client(
        &chat,
        &own(),
        Some("WhatsApp Chat with +62 821-5555-0101.txt"),
    );
    assert_eq!(guess.name.as_deref(), Some("+62 821-5555-0101"));
    assert_eq!(guess.phone.as_deref(), Some("+6282155550101"));
    assert!(!guess.is_group);
}

#[test]
fn a_saved_contact_has_no_phone_and_takes_its_name_from_the_file() {
    let chat = parse_str(
        "01/07/2024, 10:00 - Ivan: Привет\n01/07/2024, 10:05 - Olga (manager): Здравствуйте\n",
        &ParseOptions::default(),
    )
    .expect("parse");
    let guess = identify_client(&chat, &own(), Some("Чат WhatsApp с Ivan.txt"));
    assert_eq!(guess.name.as_deref(), Some("Ivan"));
    assert_eq!(guess.phone, None);
}

#[test]
fn localised_export_file_names_give_the_contact() {
    let cases = [
        (
            "WhatsApp Chat with +62 821-5555-0101.txt",
            "+62 821-5555-0101",
        ),
        ("Chat de WhatsApp con Ana García.txt", "Ana García"),
        ("WhatsApp-Chat mit Jürgen.txt", "Jürgen"),
        ("Чат WhatsApp с Иван Петров.txt", "Иван Петров"),
        ("Discussion WhatsApp avec Chloé.zip", "Chloé"),
        ("Czat WhatsApp z Kasia.txt", "Kasia"),
        ("WhatsApp Chat - Ivan (1).zip", "Ivan"),
        ("/tmp/x/WhatsApp Chat with Bob.txt", "Bob"),
    ];
    for (file, name) in cases {
        assert_eq!(
            contact_from_file_name(file).as_deref(),
            Some(name),
            "{file}"
        );
    }
    assert_eq!(contact_from_file_name("notes.txt"), None);
    assert_eq!(
        phone_from("+62 821-5555-0101").as_deref(),
        Some("+6282155550101")
    );
    assert_eq!(phone_from("Ivan"), None);
    assert_eq!(phone_from("12"), None);
}

#[test]
fn three_participants_make_a_group_that_is_not_one_client() {
    let chat = parse_str(
        "01/07/2024, 10:00 - A: x\n01/07/2024, 10:01 - B: y\n01/07/2024, 10:02 - Tourdesk Sales: z\n",
        &ParseOptions::default(),
    )
    .expect("parse");
    let guess = identify_client(&chat, &own(), None);
    assert!(guess.is_group);
    assert_eq!(guess.name, None);
    assert_eq!(guess.others, vec!["A", "B"]);
}

fn status_of(text: &str) -> (FunnelStatus, Option<usize>, String) {
    let chat = parse_str(text, &ParseOptions::default()).expect("parse");
    let s = suggest_status(&chat, Some("Client"));
    (s.status, s.message_index, s.reason)
}

#[test]
fn funnel_status_is_suggested_from_the_strongest_signal_with_its_message() {
    let base = "01/07/2024, 10:00 - Client: Hello, a tour to Bali please\n";
    assert_eq!(status_of(base).0, FunnelStatus::NewLead);
    let dates = format!("{base}01/07/2024, 10:01 - Client: We are 2 adults, in August\n");
    assert_eq!(status_of(&dates).0, FunnelStatus::Qualified);
    assert_eq!(status_of(&dates).1, Some(1));
    let price =
        format!("{dates}01/07/2024, 10:05 - Tourdesk Sales: The tour costs 1 250 USD per person\n");
    let (s, i, reason) = status_of(&price);
    assert_eq!((s, i), (FunnelStatus::ProposalSent, Some(2)));
    assert!(reason.contains("usd"), "{reason}");
    let discount = format!("{price}01/07/2024, 10:07 - Client: Можно скидку?\n");
    assert_eq!(status_of(&discount).0, FunnelStatus::Negotiation);
    let paid = format!("{discount}02/07/2024, 09:00 - Client: Hecho, he pagado la reserva\n");
    assert_eq!(status_of(&paid).0, FunnelStatus::Sold);
    assert_eq!(status_of(&paid).1, Some(4));
    let service =
        format!("{paid}20/08/2024, 09:00 - Client: Where is the transfer from the airport?\n");
    assert_eq!(status_of(&service).0, FunnelStatus::Service);
    // The client naming a price is not a proposal from us.
    let client_price = format!("{base}01/07/2024, 10:01 - Client: my budget is 500 €\n");
    assert_eq!(status_of(&client_price).0, FunnelStatus::NewLead);
}

#[test]
fn the_dry_run_report_has_exactly_the_documented_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("WhatsApp Chat with Ivan.txt");
    std::fs::write(
        &path,
        "13/06/2024, 09:00 - Messages and calls are end-to-end encrypted.\n\
13/06/2024, 09:01 - Ivan: Здравствуйте! Сколько стоит тур в Турцию?\n\
13/06/2024, 09:02 - Ivan: Нас двое взрослых, хотим в июле\n\
14/06/2024, 10:00 - Tourdesk Sales: Добрый день! 1500 USD на двоих\n",
    )
    .expect("write");
    let options = ImportOptions {
        own_names: own(),
        ..ImportOptions::default()
    };
    let report = dry_run(&path, &options);
    let json = serde_json::to_value(&report).expect("json");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        vec![
            "calendar",
            "date_order",
            "date_order_basis",
            "date_order_evidence",
            "errors",
            "failure",
            "file",
            "first",
            "language",
            "last",
            "messages",
            "participants",
            "suggested_status",
            "system_messages",
            "user_messages",
            "years_inferred"
        ]
    );
    assert_eq!(report.messages, 4);
    assert_eq!(report.user_messages, 3);
    assert_eq!(report.system_messages, 1);
    assert_eq!(report.participants, vec!["Ivan", "Tourdesk Sales"]);
    assert_eq!(report.date_order.as_deref(), Some("day_first"));
    assert_eq!(report.first.as_deref(), Some("2024-06-13T09:00:00"));
    assert_eq!(report.last.as_deref(), Some("2024-06-14T10:00:00"));
    assert_eq!(report.language.code, "ru");
    assert!(report.language.confidence >= 0.9, "{:?}", report.language);
    assert_eq!(report.suggested_status.status, FunnelStatus::ProposalSent);
    assert_eq!(report.suggested_status.message_index, Some(3));
    assert!(report.errors.is_empty());
    assert_eq!(json["suggested_status"]["status"], "proposal_sent");
    assert_eq!(json["suggested_status"]["signal"], "price");
    assert_eq!(json["suggested_status"]["signal_value"], "1500 usd");
    assert_eq!(json["calendar"], "gregorian");
    assert_eq!(json["date_order_basis"], "component_above12");
    assert_eq!(json["failure"], serde_json::Value::Null);
    let missing = dry_run(Path::new("/nonexistent/chat.txt"), &options);
    assert_eq!(missing.messages, 0);
    assert_eq!(missing.errors.len(), 1);
    assert_eq!(
        missing.failure.map(|f| f.code).as_deref(),
        Some("file_unreadable")
    );
}
