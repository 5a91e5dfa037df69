use kassa::config::{MailTransport, SmtpTls};
use kassa::db::outbox::MessageKind;
use kassa::domain::VenueZone;
use kassa::domain::booking::Language;
use mail_parser::{MessageParser, MimeHeaders};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app_with};
use crate::smtp::{SmtpServer, unused_port};

async fn smtp_app(port: u16) -> TestApp {
    spawn_app_with(move |s| {
        s.mail.transport = MailTransport::Smtp;
        s.mail.smtp.host = "127.0.0.1".into();
        s.mail.smtp.port = port;
        s.mail.smtp.tls = SmtpTls::None;
        s.mail.smtp.timeout_seconds = 2;
        s.mail.retry_base_seconds = 0;
        s.mail.max_attempts = 3;
    })
    .await
}

/// Books seats 1 and 3 of the test hall for a performance at `starts_at`, in `language`.
async fn booking(app: &TestApp, director: &Session, starts_at: &str, language: &str) -> Value {
    let (performance, seats) = app.performance_on_sale(director, starts_at).await;
    let seats = [seats[0], seats[2]];
    let held: Value = app
        .post(
            &format!("/api/v1/performances/{performance}/holds"),
            None,
            &json!({"seat_ids": seats}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"hold_token": held["hold_token"], "name": "Aigerim", "email": "aigerim@example.kz", "language": language});
    let response = app.post("/api/v1/bookings", None, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn decode_qr(png: &[u8]) -> String {
    let image = image::load_from_memory(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code per image");
    grids[0].decode().expect("the QR code decodes").1
}

fn ics_start(ics: &str) -> String {
    let calendar: icalendar::Calendar = ics.parse().expect("the .ics parses");
    let event = calendar
        .components
        .iter()
        .find_map(|c| c.as_event())
        .expect("an event");
    use icalendar::Component;
    event.property_value("DTSTART").expect("DTSTART").to_owned()
}

#[tokio::test]
async fn the_confirmation_arrives_by_smtp_in_the_bookers_language_with_qr_codes_and_a_calendar_entry()
 {
    let smtp = SmtpServer::start().await;
    let app = smtp_app(smtp.port).await;
    let director = app.director().await;
    let booked = booking(&app, &director, "2031-02-11T19:00", "kk").await;

    let delivery = app.courier().deliver_due().await.unwrap();
    assert_eq!((delivery.sent, delivery.failed), (1, 0));
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let message = MessageParser::default()
        .parse(&messages[0])
        .expect("a MIME message");

    assert!(
        message
            .subject()
            .unwrap()
            .starts_with("Сіздің билеттеріңіз: «Здесь.Алматы»"),
        "{:?}",
        message.subject()
    );
    assert_eq!(
        message.from().unwrap().first().unwrap().address().unwrap(),
        "tickets@2act.example"
    );
    assert_eq!(
        message.to().unwrap().first().unwrap().address().unwrap(),
        "aigerim@example.kz"
    );
    assert!(
        message
            .message_id()
            .unwrap()
            .contains(booked["reference"].as_str().unwrap())
    );
    assert!(message.date().is_some());

    let text = message.body_text(0).unwrap();
    assert!(text.contains("Сәлеметсіз бе, Aigerim!"), "{text}");
    assert!(text.contains("2031 жылғы 11 ақпан, 19:00"), "{text}");
    assert!(text.contains(booked["reference"].as_str().unwrap()));
    assert!(text.contains(booked["manage_url"].as_str().unwrap()));
    assert!(
        text.contains("10\u{a0}500\u{a0}₸"),
        "the total in tenge: {text}"
    );
    let html = message.body_html(0).unwrap();
    assert!(html.contains("1-қатар, 1-орын"), "{html}");

    let codes: Vec<String> = booked["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect();
    let images: Vec<_> = message
        .attachments()
        .filter(|a| a.content_type().is_some_and(|c| c.ctype() == "image"))
        .collect();
    assert_eq!(images.len(), 2, "one QR code per ticket");
    let mut decoded: Vec<String> = images
        .iter()
        .map(|image| decode_qr(image.contents()))
        .collect();
    decoded.sort();
    let mut expected = codes.clone();
    expected.sort();
    assert_eq!(decoded, expected, "each QR code carries its ticket's code");

    let ics = message
        .attachments()
        .find(|a| {
            a.content_type()
                .is_some_and(|c| c.subtype() == Some("calendar"))
        })
        .expect("an .ics attachment");
    let ics = std::str::from_utf8(ics.contents()).unwrap();
    assert!(ics.contains("METHOD:PUBLISH"));
    assert!(ics.contains(&format!(
        "UID:booking-{}@kassa",
        booked["reference"].as_str().unwrap()
    )));
    assert_eq!(
        ics_start(ics),
        "20310211T140000Z",
        "19:00 in Almaty (UTC+5) is 14:00 UTC"
    );
}

#[tokio::test]
async fn calendar_entries_follow_almatys_offset_in_2024_and_2025() {
    let almaty = VenueZone::parse("tz", "Asia/Almaty").unwrap();
    for (local, utc) in [
        ("2024-02-11T19:00", "20240211T130000Z"),
        ("2025-02-11T19:00", "20250211T140000Z"),
    ] {
        let starts_at = almaty.parse_time("starts_at", local).unwrap();
        let data = kassa::mail::MessageData {
            outbox_id: 1,
            kind: MessageKind::BookingConfirmed,
            recipient: "a@example.kz".into(),
            name: "A".into(),
            language: Language::Ru,
            reference: "K7PQX3MV".into(),
            manage_url: "http://127.0.0.1/bookings/K7PQX3MV".into(),
            title: "Здесь.Алматы".into(),
            venue: "2act studio".into(),
            address: "Almaty".into(),
            zone: almaty,
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(115),
            previous_starts_at: None,
            total: 6000,
            due: 6000,
            pay_by: None,
            tickets: vec![kassa::mail::Ticket {
                zone: "Партер".into(),
                row: 1,
                number: 1,
                kind: kassa::domain::prices::TicketType::Full,
                price: 6000,
                code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ".into(),
            }],
        };
        let raw = kassa::mail::render(&data, &"2act <tickets@2act.example>".parse().unwrap())
            .unwrap()
            .formatted();
        let message = MessageParser::default().parse(&raw).unwrap();
        let ics = message
            .attachments()
            .find(|a| {
                a.content_type()
                    .is_some_and(|c| c.subtype() == Some("calendar"))
            })
            .unwrap();
        assert_eq!(
            ics_start(std::str::from_utf8(ics.contents()).unwrap()),
            utc,
            "{local}"
        );
        assert!(
            message.body_text(0).unwrap().contains("11 февраля"),
            "Russian dates"
        );
    }
}

#[tokio::test]
async fn with_the_smtp_server_down_the_booking_succeeds_and_the_mail_arrives_once_it_is_back() {
    let port = unused_port();
    let app = smtp_app(port).await;
    let director = app.director().await;
    let booked = booking(&app, &director, "2031-02-11T19:00", "en").await;

    let first = app.courier().deliver_due().await.unwrap();
    assert_eq!(
        (first.sent, first.failed),
        (0, 1),
        "the server is down: the attempt fails and is recorded"
    );
    let mut conn = app.db();
    let id = crate::booking_id_of(&app, booked["reference"].as_str().unwrap());
    let row = &kassa::db::outbox::for_booking(&mut conn, id).unwrap()[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(row.last_error.is_some());

    let smtp = SmtpServer::start_on(port).await;
    let second = app.courier().deliver_due().await.unwrap();
    assert_eq!((second.sent, second.failed), (1, 0));
    assert_eq!(smtp.messages().len(), 1);
    let again = app.courier().deliver_due().await.unwrap();
    assert_eq!(
        again.sent, 0,
        "a sent message is not sent again, by this worker or a new one"
    );
    assert_eq!(smtp.messages().len(), 1);
    let row = &kassa::db::outbox::for_booking(&mut conn, id).unwrap()[0];
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_given_up_after_the_maximum() {
    let app = smtp_app(unused_port()).await;
    let director = app.director().await;
    let booked = booking(&app, &director, "2031-02-11T19:00", "ru").await;
    for _ in 0..5 {
        app.courier().deliver_due().await.unwrap();
    }
    let id = crate::booking_id_of(&app, booked["reference"].as_str().unwrap());
    let row = &kassa::db::outbox::for_booking(&mut app.db(), id).unwrap()[0];
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 3));
}

#[tokio::test]
async fn without_smtp_mail_is_written_to_the_outbox_folder() {
    let app = spawn_app_with(|_| {}).await;
    let director = app.director().await;
    let booked = booking(&app, &director, "2031-02-11T19:00", "ru").await;
    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 1);
    let files: Vec<_> = std::fs::read_dir(&app.settings.mail.outbox_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    let raw = std::fs::read(&files[0]).unwrap();
    let message = MessageParser::default().parse(&raw).unwrap();
    assert!(message.subject().unwrap().starts_with("Ваши билеты"));
    assert!(
        message
            .body_text(0)
            .unwrap()
            .contains(booked["reference"].as_str().unwrap())
    );
}

#[tokio::test]
async fn a_rescheduled_booking_gets_the_new_time_with_the_same_calendar_uid_and_a_higher_sequence()
{
    let smtp = SmtpServer::start().await;
    let app = smtp_app(smtp.port).await;
    let director = app.director().await;
    let booked = booking(&app, &director, "2031-02-11T19:00", "ru").await;
    assert_eq!(
        app.courier().deliver_due().await.unwrap().sent,
        1,
        "the confirmation goes out"
    );
    let path = format!("/api/v1/performances/{}", booked["performance"]["id"]);
    let moved = app
        .patch(
            &path,
            Some(&director),
            &json!({"starts_at": "2031-02-12T20:00"}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(
        app.courier().deliver_due().await.unwrap().sent,
        1,
        "then the new time"
    );

    let calendar_of = |raw: &[u8]| {
        let message = MessageParser::default().parse(raw).unwrap();
        let ics = message
            .attachments()
            .find(|a| {
                a.content_type()
                    .is_some_and(|c| c.subtype() == Some("calendar"))
            })
            .unwrap();
        let calendar: icalendar::Calendar = std::str::from_utf8(ics.contents())
            .unwrap()
            .parse()
            .unwrap();
        let event = calendar
            .components
            .iter()
            .find_map(|c| c.as_event())
            .unwrap()
            .clone();
        use icalendar::Component;
        let field = |name: &str| event.property_value(name).unwrap().to_owned();
        (
            message.subject().unwrap().to_owned(),
            field("UID"),
            field("SEQUENCE").parse::<u32>().unwrap(),
            field("DTSTART"),
        )
    };
    let messages = smtp.messages();
    let (_, first_uid, first_sequence, first_start) = calendar_of(&messages[0]);
    let (subject, uid, sequence, start) = calendar_of(&messages[1]);
    assert!(
        subject.contains("перенесён на 12 февраля 2031, 20:00"),
        "{subject}"
    );
    assert_eq!(uid, first_uid);
    assert!(sequence > first_sequence);
    assert_eq!(
        (first_start.as_str(), start.as_str()),
        ("20310211T140000Z", "20310212T150000Z")
    );
}

/// A cancellation reads as one in every language: no offer to cancel, no "see you at the
/// theater", and the link only to look at the booking.
#[tokio::test]
async fn a_cancellation_mail_reads_as_a_cancellation_in_each_language() {
    let app = spawn_app_with(|_| {}).await;
    let director = app.director().await;
    let cases = [
        (
            "ru",
            "2031-02-11T19:00",
            "отменена",
            "Посмотреть бронь",
            "Будем рады видеть вас на другом спектакле.",
            ["отменить бронь", "До встречи"],
        ),
        (
            "kk",
            "2031-02-12T19:00",
            "жойылды",
            "Брондауды қарау",
            "Сізді басқа қойылымда күтеміз.",
            ["болдырмау", "көріскенше"],
        ),
        (
            "en",
            "2031-02-13T19:00",
            "cancelled",
            "See the booking",
            "We hope to see you at another performance.",
            ["cancel your booking", "See you at"],
        ),
    ];
    for (language, starts_at, ..) in cases {
        let booked = booking(&app, &director, starts_at, language).await;
        let path = format!(
            "/api/v1/bookings/{}/cancel",
            booked["reference"].as_str().unwrap()
        );
        let cancelled = app
            .client
            .post(app.url(&path))
            .header("X-Manage-Token", booked["manage_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(cancelled.status(), StatusCode::OK);
    }
    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 6);
    let messages: Vec<_> = std::fs::read_dir(&app.settings.mail.outbox_dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    for (language, _, subject_word, see, signature, wrong) in cases {
        let text = messages
            .iter()
            .map(|raw| MessageParser::default().parse(raw).unwrap())
            .filter(|m| m.subject().unwrap().contains(subject_word))
            .map(|m| m.body_text(0).unwrap().into_owned())
            .next()
            .unwrap_or_else(|| panic!("a {language} cancellation was sent"));
        assert!(text.contains(see), "{language}: {text}");
        assert!(text.contains(signature), "{language}: {text}");
        for phrase in wrong {
            assert!(!text.contains(phrase), "{language} says `{phrase}`: {text}");
        }
    }
}
