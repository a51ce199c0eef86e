//! A client of the classroom host: a blocking WebSocket (tungstenite) for
//! tests, benches and tools, and a [`Link`] that keeps one on its own
//! thread for the window, joining again with the same code when the
//! connection drops.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use super::protocol::*;

/// A connection to a host.
pub struct Client {
    socket: WebSocket<TcpStream>,
}

/// `ADDRESS` as typed (`192.168.1.20:7425`, `ws://…`, `http://…/`) as the
/// host address and the socket's URL.
pub fn socket_url(address: &str) -> Result<(String, String), String> {
    let a = address.trim();
    let a = a
        .strip_prefix("ws://")
        .or_else(|| a.strip_prefix("http://"))
        .unwrap_or(a);
    let host = a.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(format!(
            "\"{address}\" is not an address: give it as 192.168.1.20:7425"
        ));
    }
    let host = if host.contains(':') && !host.ends_with(']') {
        host.to_string()
    } else {
        format!("{host}:{}", super::DEFAULT_PORT)
    };
    Ok((host.clone(), format!("ws://{host}{SOCKET_PATH}")))
}

impl Client {
    /// Open a connection (no `hello` yet).
    pub fn connect(address: &str) -> Result<Client, String> {
        let (host, url) = socket_url(address)?;
        let addr = host
            .to_socket_addrs()
            .map_err(|e| format!("{host}: {e}"))?
            .next()
            .ok_or_else(|| format!("{host}: no such address"))?;
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .map_err(|e| format!("cannot reach {host}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .and_then(|()| stream.set_write_timeout(Some(Duration::from_secs(30))))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(|e| e.to_string())?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_HOST_MESSAGE))
            .max_frame_size(Some(MAX_HOST_MESSAGE));
        let (socket, _) =
            tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
                .map_err(|e| format!("{host} is not a classroom host: {e}"))?;
        Ok(Client { socket })
    }

    /// Connect and say `hello` with `code`: the host's welcome, or why not.
    pub fn join(address: &str, code: &str) -> Result<(Client, HostMessage), String> {
        let mut client = Client::connect(address)?;
        client.send(&ClientMessage::Hello {
            version: PROTOCOL_VERSION,
            code: code.to_string(),
        })?;
        match client.recv()? {
            welcome @ HostMessage::Welcome { .. } => Ok((client, welcome)),
            HostMessage::Error { message } => Err(message),
            other => Err(format!("the host answered {other:?} to hello")),
        }
    }

    /// Wait at most `timeout` in [`Client::recv`] (`None`: for ever).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<(), String> {
        self.socket
            .get_ref()
            .set_read_timeout(timeout)
            .map_err(|e| e.to_string())
    }

    pub fn send(&mut self, message: &ClientMessage) -> Result<(), String> {
        let text = serde_json::to_string(message).map_err(|e| e.to_string())?;
        self.send_raw(Message::Text(text.into()))
    }

    /// Any frame at all (tests of what the host refuses).
    pub fn send_raw(&mut self, message: Message) -> Result<(), String> {
        self.socket.send(message).map_err(|e| e.to_string())
    }

    /// The connection underneath (a test writes raw frames on a clone).
    pub fn tcp(&self) -> &TcpStream {
        self.socket.get_ref()
    }

    /// The next message as its text; pings are answered on the way.
    pub fn recv_text(&mut self) -> Result<String, String> {
        loop {
            match self.socket.read() {
                Ok(Message::Text(t)) => return Ok(t.to_string()),
                Ok(Message::Close(frame)) => {
                    return Err(match frame {
                        Some(f) => {
                            format!("closed by the host ({}): {}", u16::from(f.code), f.reason)
                        }
                        None => "closed by the host".into(),
                    });
                }
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(TIMED_OUT.into());
                }
                Err(e) => return Err(format!("connection lost: {e}")),
            }
        }
    }

    /// The next message.
    pub fn recv(&mut self) -> Result<HostMessage, String> {
        let text = self.recv_text()?;
        serde_json::from_str(&text).map_err(|e| format!("the host sent something unreadable: {e}"))
    }

    /// Close politely.
    pub fn close(mut self) {
        let _ = self.socket.close(None);
        let _ = self.socket.flush();
    }
}

/// What [`Client::recv_text`] says when nothing came in time.
pub const TIMED_OUT: &str = "timed out";

/// What a [`Link`] reports to the window.
#[derive(Clone, Debug)]
pub enum LinkEvent {
    /// Joined (again): the host's messages follow.
    Connected,
    Message(HostMessage),
    /// The connection dropped; the link tries again every few seconds.
    Lost(String),
    /// The host refused the code or the version: the link has given up.
    Refused(String),
}

/// A connection kept on its own thread: messages go out through
/// [`Link::send`], what comes back is read with [`Link::poll`]. Dropping it
/// closes the connection.
pub struct Link {
    outgoing: mpsc::Sender<ClientMessage>,
    incoming: mpsc::Receiver<LinkEvent>,
}

impl Link {
    /// Join `address` with `code`, and keep joining again after a drop.
    pub fn open(address: String, code: String) -> Link {
        let (outgoing, to_send) = mpsc::channel::<ClientMessage>();
        let (report, incoming) = mpsc::channel();
        std::thread::Builder::new()
            .name("reg-link".into())
            .spawn(move || link_thread(&address, &code, &to_send, &report))
            .ok();
        Link { outgoing, incoming }
    }

    pub fn send(&self, message: ClientMessage) {
        let _ = self.outgoing.send(message);
    }

    /// Everything that came in since the last call.
    pub fn poll(&self) -> Vec<LinkEvent> {
        self.incoming.try_iter().collect()
    }
}

fn link_thread(
    address: &str,
    code: &str,
    to_send: &mpsc::Receiver<ClientMessage>,
    report: &mpsc::Sender<LinkEvent>,
) {
    let tell = |e: LinkEvent| report.send(e).is_ok();
    loop {
        match Client::join(address, code) {
            Ok((mut client, welcome)) => {
                if !tell(LinkEvent::Connected) || !tell(LinkEvent::Message(welcome)) {
                    return;
                }
                let _ = client.set_timeout(Some(Duration::from_millis(50)));
                let lost = loop {
                    match to_send.try_recv() {
                        Ok(m) => {
                            if let Err(e) = client.send(&m) {
                                break e;
                            }
                            continue;
                        }
                        Err(mpsc::TryRecvError::Disconnected) => {
                            client.close();
                            return;
                        }
                        Err(mpsc::TryRecvError::Empty) => {}
                    }
                    match client.recv() {
                        Ok(m) => {
                            if !tell(LinkEvent::Message(m)) {
                                return;
                            }
                        }
                        Err(e) if e == TIMED_OUT => {}
                        Err(e) => break e,
                    }
                };
                if !tell(LinkEvent::Lost(lost)) {
                    return;
                }
            }
            // A host that answers but refuses: no point in trying again.
            Err(e) if e.starts_with("unknown code") || e.starts_with("this host speaks") => {
                tell(LinkEvent::Refused(e));
                return;
            }
            Err(e) => {
                if !tell(LinkEvent::Lost(e)) {
                    return;
                }
            }
        }
        // Wait before trying again, still noticing the window closing.
        for _ in 0..20 {
            std::thread::sleep(Duration::from_millis(100));
            if let Err(mpsc::TryRecvError::Disconnected) = to_send.try_recv() {
                return;
            }
        }
    }
}
