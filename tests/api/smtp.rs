//! An SMTP server on a loopback port for the tests: it speaks the protocol to lettre's real
//! SMTP client over TCP (EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and
//! keeps every message it accepts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub struct SmtpServer {
    pub port: u16,
    /// Milliseconds taken to accept each message.
    delay_ms: Arc<AtomicU64>,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        SmtpServer::start_on(0).await
    }

    /// Starts on a given port, e.g. one the application was already told to use.
    pub async fn start_on(port: u16) -> SmtpServer {
        SmtpServer::start_with(port, std::time::Duration::ZERO).await
    }

    /// A server that takes `delay` to accept each message, so that a test can act while a
    /// message is being sent.
    pub async fn start_slow(delay: std::time::Duration) -> SmtpServer {
        SmtpServer::start_with(0, delay).await
    }

    async fn start_with(port: u16, delay: std::time::Duration) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("SMTP port");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        let delay_ms = Arc::new(AtomicU64::new(delay.as_millis() as u64));
        let delay = delay_ms.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone(), delay.clone()));
            }
        });
        SmtpServer {
            port,
            delay_ms,
            received,
            task,
        }
    }

    /// The raw messages accepted so far.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.received.lock().unwrap().clone()
    }

    /// From now on, accept messages at once.
    pub fn hurry(&self) {
        self.delay_ms.store(0, Ordering::SeqCst);
    }

    /// The first `To` address of each message accepted so far.
    pub fn recipients(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|raw| {
                let message = mail_parser::MessageParser::default().parse(raw).unwrap();
                let to = message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address());
                to.unwrap().to_owned()
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The settings, as environment variables, of a kassa whose worker mails through the server on
/// `port` every second.
pub fn kassa_env(port: &str) -> [(&'static str, &str); 5] {
    [
        ("KASSA__MAIL__TRANSPORT", "smtp"),
        ("KASSA__MAIL__SMTP__HOST", "127.0.0.1"),
        ("KASSA__MAIL__SMTP__PORT", port),
        ("KASSA__MAIL__SMTP__TLS", "none"),
        ("KASSA__MAIL__POLL_SECONDS", "1"),
    ]
}

/// A port nobody listens on (for "the SMTP server is down").
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<Vec<u8>>>>, delay: Arc<AtomicU64>) {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let _ = writer
        .write_all(b"220 127.0.0.1 ESMTP kassa-test\r\n")
        .await;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-127.0.0.1\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL")
            || command.starts_with("RCPT")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else if command == "DATA" {
            let _ = writer
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await;
            let mut message = Vec::new();
            loop {
                let mut data_line = Vec::new();
                if reader.read_until(b'\n', &mut data_line).await.unwrap_or(0) == 0 {
                    return;
                }
                if data_line == b".\r\n" || data_line == b".\n" {
                    break;
                }
                let unstuffed = if data_line.starts_with(b"..") {
                    &data_line[1..]
                } else {
                    &data_line[..]
                };
                message.extend_from_slice(unstuffed);
            }
            tokio::time::sleep(std::time::Duration::from_millis(
                delay.load(Ordering::SeqCst),
            ))
            .await;
            store.lock().unwrap().push(message);
            b"250 OK: queued\r\n"
        } else if command == "QUIT" {
            let _ = writer.write_all(b"221 Bye\r\n").await;
            return;
        } else {
            b"502 Command not implemented\r\n"
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}
