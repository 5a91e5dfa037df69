//! The listener while kassa stops. Closing a listening socket makes the kernel reset every
//! connection still waiting in its queue: a client that had already sent its request would see a
//! reset, not an answer. So the socket stays open through the drain (a second handle to it), and
//! the connections that arrive meanwhile are answered `503` with `Retry-After`, like any busy
//! moment, until no new one has come for a short while; only then is the socket closed, and later
//! clients are refused, as by any stopped server.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long the socket must stay quiet before it is closed, and the longest it stays open.
const QUIET: Duration = Duration::from_millis(300);
const LONGEST: Duration = Duration::from_secs(5);
/// The most of a request read before answering (its head and a small body).
const MAX_REQUEST: usize = 64 * 1024;

const BODY: &str =
    r#"{"error":{"code":"unavailable","message":"kassa is restarting; try again in a moment"}}"#;

/// Answers whatever connects to `listener` with 503 until `drained` resolves and the socket has
/// then been quiet for [`QUIET`] (at most [`LONGEST`] in all); then closes it.
pub async fn answer_until_closed(
    listener: std::net::TcpListener,
    drained: impl Future<Output = ()>,
) {
    let listener = match listener
        .set_nonblocking(true)
        .and_then(|()| TcpListener::from_std(listener))
    {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "cannot answer connections while stopping");
            return;
        }
    };
    let started = tokio::time::Instant::now();
    let answering = async {
        loop {
            if let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream));
            }
        }
    };
    tokio::select! {
        () = drained => {}
        () = answering => {}
    }
    // The drain is over; answer until the clients have been told and have gone quiet.
    while started.elapsed() < LONGEST {
        match tokio::time::timeout(QUIET, listener.accept()).await {
            Ok(Ok((stream, _))) => {
                tokio::spawn(answer(stream));
            }
            Ok(Err(_)) => {}
            Err(_quiet) => break,
        }
    }
}

/// Reads the request (bytes left unread at close would make the kernel send a reset), answers
/// 503, and waits for the client to close.
async fn answer(mut stream: TcpStream) {
    let read = tokio::time::timeout(Duration::from_secs(2), read_request(&mut stream)).await;
    if read.is_err() {
        return;
    }
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n\
         Connection: close\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    if stream.write_all(answer.as_bytes()).await.is_err() {
        return;
    }
    let _ = stream.shutdown().await;
    let mut rest = [0u8; 1024];
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while matches!(stream.read(&mut rest).await, Ok(n) if n > 0) {}
    })
    .await;
}

/// Reads a request's head and, if it says so, its body of up to [`MAX_REQUEST`] bytes.
async fn read_request(stream: &mut TcpStream) {
    let mut request = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(n) if n > 0 && request.len() < MAX_REQUEST => request.extend_from_slice(&chunk[..n]),
            _ => return,
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    while request.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(n) if n > 0 => request.extend_from_slice(&chunk[..n]),
            _ => return,
        }
    }
}
