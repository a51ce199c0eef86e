//! The host: one or more games, each played by a [`Table`] on its own
//! thread, served over WebSocket on one TCP port (axum on a small tokio
//! runtime).
//!
//! Each connection is its own task: it waits for `hello` with a code, then
//! passes the client's messages to its game one at a time (so one client
//! can never fill a game's queue) and writes the game's replies. A game's
//! thread owns its table and acts only through the table's API; it sends
//! each team its own view, the teacher only public information, and never
//! waits on a client: a client too slow to take its messages is dropped
//! (it rejoins with its code and finds everything as it was).

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use tokio::sync::{mpsc, oneshot};

use super::codes::{CodeFor, Codes};
use super::protocol::*;
use crate::rules::resources::{EventDeck, NewsLog, TurnClock};
use crate::rules::types::PowerId;
use crate::rules::view::{news_for, public_view};
use crate::seats::Seat;
use crate::table::Table;

/// A client has this long to say `hello` after connecting.
const HELLO_WAIT: Duration = Duration::from_secs(10);
/// A client that sends nothing (not even a pong) for this long is gone.
const IDLE_LIMIT: Duration = Duration::from_secs(90);
const PING_EVERY: Duration = Duration::from_secs(20);
/// Writing one message to a client may take this long before it is dropped.
const SEND_WAIT: Duration = Duration::from_secs(10);
/// Messages waiting for one client before it counts as too slow.
const OUTBOX: usize = 64;
/// Connections one host takes at once (a class is a few dozen).
const MAX_CONNECTIONS: usize = 512;
/// The pause after a wrong code, so guessing is slow as well as hopeless.
const WRONG_CODE_PAUSE: Duration = Duration::from_secs(1);
/// How often a game's thread looks at its clock.
const TICK: Duration = Duration::from_millis(100);

/// One game to serve.
pub struct HostedGame {
    pub table: Table,
    pub codes: Codes,
    /// Time each turn may take; when it runs out the turn ends with the
    /// orders given.
    pub timer: Option<Duration>,
    /// Saved at the start and after every turn, the codes beside it.
    pub autosave: Option<PathBuf>,
    /// Rewritten with the human seats' codes when the seats change.
    pub codes_file: Option<PathBuf>,
    /// Print what happens (turns resolved, saves) on standard output.
    pub log: bool,
}

/// Why a host could not start.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(
        "{0} is not a local network address: the host serves only a classroom's network (use a 192.168.x.x, 10.x.x.x or 172.16–31.x.x address of this computer, or 127.0.0.1)"
    )]
    NotLocal(IpAddr),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot start the network: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    Save(String),
}

/// A running host. Dropping it stops every game and closes every
/// connection at once (as a crash would, minus the lost process).
pub struct Host {
    addr: SocketAddr,
    games: Vec<GameEntry>,
    threads: Vec<std::thread::JoinHandle<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

struct GameEntry {
    codes: Codes,
    events: SyncSender<Event>,
}

struct Shared {
    games: Vec<GameEntry>,
    next_conn: AtomicU64,
}

/// What a game's thread is told.
enum Event {
    Join {
        conn: u64,
        who: CodeFor,
        outbox: mpsc::Sender<Utf8Bytes>,
        joined: oneshot::Sender<()>,
    },
    Message {
        conn: u64,
        message: ClientMessage,
        done: oneshot::Sender<()>,
    },
    Leave {
        conn: u64,
    },
    Stop,
}

/// Is `ip` on this computer or a private network (never the internet)?
pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_local(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// This computer's address on its local network, if it has a private one;
/// else the loopback address (then only this computer can join).
pub fn default_bind() -> IpAddr {
    // Connecting a UDP socket sends nothing; it only picks the interface
    // that would route to a private address.
    let lan = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.168.0.1:9").map(|()| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip())
        .ok()
        .filter(|ip| is_local(*ip) && !ip.is_loopback() && !ip.is_unspecified());
    lan.unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

impl Host {
    /// Listen on `bind:port` (port 0: any free port) and serve `games`.
    pub fn start(bind: IpAddr, port: u16, games: Vec<HostedGame>) -> Result<Host, HostError> {
        if !is_local(bind) {
            return Err(HostError::NotLocal(bind));
        }
        let addr = SocketAddr::new(bind, port);
        let listener = std::net::TcpListener::bind(addr).map_err(|e| HostError::Bind(addr, e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| HostError::Bind(addr, e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| HostError::Bind(addr, e))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("reg-net")
            .enable_all()
            .build()
            .map_err(HostError::Runtime)?;
        let mut entries = Vec::new();
        let mut threads = Vec::new();
        for game in games {
            let codes = game.codes.clone();
            // Every connection has at most one message in flight, so this
            // bound is never reached by honest clients.
            let (events, inbox) = sync_channel(MAX_CONNECTIONS + 16);
            let mut actor = GameThread::new(game, format!("http://{addr}/"))?;
            threads.push(
                std::thread::Builder::new()
                    .name("reg-game".into())
                    .spawn(move || actor.run(inbox))
                    .map_err(HostError::Runtime)?,
            );
            entries.push(GameEntry { codes, events });
        }
        let shared = Arc::new(Shared {
            games: entries
                .iter()
                .map(|g| GameEntry {
                    codes: g.codes.clone(),
                    events: g.events.clone(),
                })
                .collect(),
            next_conn: AtomicU64::new(1),
        });
        let app = Router::new()
            .route(SOCKET_PATH, get(upgrade))
            .merge(super::web::routes())
            .with_state(shared);
        {
            let _in_runtime = runtime.enter();
            let listener = LocalListener {
                inner: tokio::net::TcpListener::from_std(listener)
                    .map_err(|e| HostError::Bind(addr, e))?,
                slots: Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS)),
            };
            runtime.spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    eprintln!("the classroom host stopped: {e}");
                }
            });
        }
        Ok(Host {
            addr,
            games: entries,
            threads,
            runtime: Some(runtime),
        })
    }

    /// The address and port clients join.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `ws://ADDR:PORT`, as `serve` prints it.
    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// The join link a browser opens (the page at `GET /`).
    pub fn join_link(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn codes(&self, game: usize) -> Option<&Codes> {
        self.games.get(game).map(|g| &g.codes)
    }

    /// Wait until the host is stopped (by the process ending).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        for g in &self.games {
            let _ = g.events.try_send(Event::Stop);
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

async fn upgrade(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    // Peers outside the local network never get this far (`LocalListener`).
    // The socket layer refuses anything bigger than a client may send
    // before it is buffered.
    ws.max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| connection(socket, shared))
}

/// The listening socket as the host uses it: connections from outside the
/// local network are closed at once, at most [`MAX_CONNECTIONS`] are open,
/// and one that sends nothing for [`SILENCE`] is closed (HTTP has no read
/// timeout of its own here, so a connection that never asks for the socket
/// would otherwise stay open for ever).
struct LocalListener {
    inner: tokio::net::TcpListener,
    slots: Arc<tokio::sync::Semaphore>,
}

/// Longer than a client may stay silent once joined (it answers pings).
const SILENCE: Duration = Duration::from_secs(120);

impl axum::serve::Listener for LocalListener {
    type Io = Guarded;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Guarded, SocketAddr) {
        loop {
            let (stream, peer) = match self.inner.accept().await {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait, try again.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            if !is_local(peer.ip()) {
                continue;
            }
            let Ok(slot) = self.slots.clone().try_acquire_owned() else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            return (
                Guarded {
                    stream,
                    silence: Box::pin(tokio::time::sleep(SILENCE)),
                    _slot: slot,
                },
                peer,
            );
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A connection that gives up after [`SILENCE`] without a byte, and frees
/// its slot when it closes.
struct Guarded {
    stream: tokio::net::TcpStream,
    silence: std::pin::Pin<Box<tokio::time::Sleep>>,
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl tokio::io::AsyncRead for Guarded {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::future::Future as _;
        use std::task::Poll;
        let this = &mut *self;
        match std::pin::Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.silence
                    .as_mut()
                    .reset(tokio::time::Instant::now() + SILENCE);
                Poll::Ready(r)
            }
            Poll::Pending => match this.silence.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "silent for too long",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl tokio::io::AsyncWrite for Guarded {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

fn error_text(message: impl Into<String>) -> Utf8Bytes {
    HostMessage::Error {
        message: message.into(),
    }
    .to_json()
    .into()
}

async fn send(socket: &mut WebSocket, message: Message) -> bool {
    matches!(
        tokio::time::timeout(SEND_WAIT, socket.send(message)).await,
        Ok(Ok(()))
    )
}

/// Say why and close (1008: policy; 1009: too big).
async fn refuse(socket: &mut WebSocket, code: u16, why: &str) {
    if send(socket, Message::Text(error_text(why))).await {
        let reason: String = why.chars().take(100).collect();
        let _ = send(
            socket,
            Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })),
        )
        .await;
    }
}

fn parse(text: &str) -> Result<ClientMessage, String> {
    if text.len() > MAX_CLIENT_MESSAGE {
        return Err(format!(
            "message too large: at most {MAX_CLIENT_MESSAGE} bytes"
        ));
    }
    serde_json::from_str(text)
        .map_err(|e| format!("not a message of protocol {PROTOCOL_VERSION}: {e}"))
}

fn read_error(e: &axum::Error) -> (u16, String) {
    let text = e.to_string();
    if text.contains("too long") || text.contains("too big") || text.contains("Space limit") {
        (
            1009,
            format!("message too large: at most {MAX_CLIENT_MESSAGE} bytes"),
        )
    } else {
        (1002, format!("not a WebSocket message: {text}"))
    }
}

/// The first message: `hello` with the protocol version and a code.
async fn hello(
    socket: &mut WebSocket,
    shared: &Shared,
) -> Option<(u64, SyncSender<Event>, mpsc::Receiver<Utf8Bytes>)> {
    let text = match socket.recv().await? {
        Ok(Message::Text(t)) => t,
        Ok(Message::Binary(_)) => {
            refuse(socket, 1003, "send JSON text, starting with hello").await;
            return None;
        }
        Ok(_) => {
            refuse(socket, 1008, "say hello first").await;
            return None;
        }
        Err(e) => {
            let (code, why) = read_error(&e);
            refuse(socket, code, &why).await;
            return None;
        }
    };
    let (version, code) = match parse(&text) {
        Ok(ClientMessage::Hello { version, code }) => (version, code),
        Ok(_) => {
            refuse(socket, 1008, "say hello first, with your code").await;
            return None;
        }
        Err(why) => {
            refuse(socket, 1008, &why).await;
            return None;
        }
    };
    if version != PROTOCOL_VERSION {
        let why = format!(
            "this host speaks protocol {PROTOCOL_VERSION}, the client {version}: use the same version of the game"
        );
        refuse(socket, 1008, &why).await;
        return None;
    }
    let found = shared
        .games
        .iter()
        .find_map(|g| g.codes.check(&code).map(|who| (g, who)));
    let Some((game, who)) = found else {
        tokio::time::sleep(WRONG_CODE_PAUSE).await;
        refuse(socket, 1008, "unknown code: check it with the teacher").await;
        return None;
    };
    let conn = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    let (outbox, inbox) = mpsc::channel(OUTBOX);
    let (joined, wait) = oneshot::channel();
    let event = Event::Join {
        conn,
        who,
        outbox,
        joined,
    };
    if game.events.try_send(event).is_err() {
        refuse(socket, 1013, "the host is busy: try again").await;
        return None;
    }
    wait.await.ok()?;
    Some((conn, game.events.clone(), inbox))
}

async fn connection(mut socket: WebSocket, shared: Arc<Shared>) {
    let Ok(Some((conn, game, mut outbox))) =
        tokio::time::timeout(HELLO_WAIT, hello(&mut socket, &shared)).await
    else {
        return;
    };
    // The first ping after a while, not at once (an interval's first tick).
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    None | Some(Ok(Message::Close(_))) => break,
                    Some(Err(e)) => {
                        let (code, why) = read_error(&e);
                        refuse(&mut socket, code, &why).await;
                        break;
                    }
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Binary(_))) => {
                        heard = Instant::now();
                        if !send(&mut socket, Message::Text(error_text("binary frames are not part of the protocol: send JSON text"))).await {
                            break;
                        }
                        continue;
                    }
                    Some(Ok(_)) => {
                        heard = Instant::now();
                        continue;
                    }
                };
                heard = Instant::now();
                let message = match parse(&text) {
                    Ok(m) => m,
                    Err(why) => {
                        if !send(&mut socket, Message::Text(error_text(why))).await {
                            break;
                        }
                        continue;
                    }
                };
                let (done, finished) = oneshot::channel();
                match game.try_send(Event::Message { conn, message, done }) {
                    // One message at a time: wait for the game to take it.
                    Ok(()) => { let _ = finished.await; }
                    Err(TrySendError::Full(_)) => {
                        if !send(&mut socket, Message::Text(error_text("the host is busy: send it again"))).await {
                            break;
                        }
                    }
                    Err(TrySendError::Disconnected(_)) => break,
                }
            }
            out = outbox.recv() => match out {
                Some(text) => if !send(&mut socket, Message::Text(text)).await { break },
                // The game let this client go (too slow, or the host stops).
                None => break,
            },
            _ = ping.tick() => {
                if heard.elapsed() > IDLE_LIMIT || !send(&mut socket, Message::Ping(Default::default())).await {
                    break;
                }
            }
        }
    }
    let _ = game.try_send(Event::Leave { conn });
}

/// A connection as its game knows it.
struct Conn {
    who: CodeFor,
    outbox: mpsc::Sender<Utf8Bytes>,
}

/// One game's thread: owns the table.
struct GameThread {
    table: Table,
    codes: Codes,
    info: GameInfo,
    /// The page's address, for the teacher's projector.
    join_link: String,
    cards: Vec<CardInfo>,
    conns: BTreeMap<u64, Conn>,
    paused: bool,
    per_turn: Option<Duration>,
    /// Time left on this turn's clock when it was last started or stopped.
    clock_left: Option<Duration>,
    clock_since: Instant,
    autosave: Option<PathBuf>,
    codes_file: Option<PathBuf>,
    log: bool,
    over_sent: bool,
}

impl GameThread {
    fn new(game: HostedGame, join_link: String) -> Result<GameThread, HostError> {
        let table = game.table;
        let level = table.level().clone();
        let cards = table
            .world()
            .resource::<EventDeck>()
            .cards
            .iter()
            .map(|c| CardInfo {
                id: c.id.clone(),
                title: c.title.clone(),
                teacher_only: c.probability == 0.0,
            })
            .collect();
        let mut thread = GameThread {
            info: GameInfo {
                level: level.id.clone(),
                title: level.title.clone(),
                seed: table.seed(),
            },
            table,
            codes: game.codes,
            join_link,
            cards,
            conns: BTreeMap::new(),
            paused: false,
            per_turn: game.timer,
            clock_left: game.timer,
            clock_since: Instant::now(),
            autosave: game.autosave,
            codes_file: game.codes_file,
            log: game.log,
            over_sent: false,
        };
        thread.write_codes_file().map_err(HostError::Save)?;
        // A save from the very start, so a host that crashes in the first
        // turn can be started again with the same codes.
        thread.save().map_err(HostError::Save)?;
        Ok(thread)
    }

    fn run(&mut self, inbox: Receiver<Event>) {
        loop {
            match inbox.recv_timeout(TICK) {
                Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(event) => self.handle(event),
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.drop_closed();
            self.clock();
            self.resolve_when_ready();
        }
    }

    fn say(&self, what: impl AsRef<str>) {
        if self.log {
            // Standard output may be closed (a script read the codes and
            // went): the game goes on.
            use std::io::Write as _;
            let _ = writeln!(std::io::stdout(), "{}", what.as_ref());
        }
    }

    fn write_codes_file(&self) -> Result<(), String> {
        if let Some(path) = &self.codes_file {
            super::codes::write_atomically(
                path,
                &self.codes.human_seats_json(&self.table.seats()),
            )?;
        }
        Ok(())
    }

    /// What is kept beside the autosave: the codes and the clock now.
    fn kept(&self) -> super::codes::Kept {
        super::codes::Kept {
            codes: self.codes.clone(),
            clock_minutes: Some(self.per_turn.map_or(0, |d| d.as_secs() / 60)),
        }
    }

    /// The autosave (and the codes and clock beside it).
    fn save(&mut self) -> Result<(), String> {
        let Some(path) = self.autosave.clone() else {
            return Ok(());
        };
        let name = format!("{} (classroom)", self.info.title);
        let file = self.table.save_file(&name);
        crate::save::write(&path, &file).map_err(|e| e.to_string())?;
        self.kept().write(&path)?;
        Ok(())
    }

    fn time_left(&self) -> Option<Duration> {
        let left = self.clock_left?;
        if self.paused {
            Some(left)
        } else {
            Some(left.saturating_sub(self.clock_since.elapsed()))
        }
    }

    fn restart_clock(&mut self) {
        self.clock_left = self.per_turn;
        self.clock_since = Instant::now();
    }

    fn status(&self) -> TableStatus {
        let seats = self.table.seats();
        TableStatus {
            turn: self.table.turn(),
            max_turns: self.table.game().max_turns(),
            label: self.table.world().resource::<TurnClock>().label(),
            over: self.table.is_over(),
            paused: self.paused,
            // Whole seconds, rounded up: a new minute's clock reads 60.
            clock_seconds: self
                .time_left()
                .map(|d| d.as_millis().div_ceil(1000) as u64),
            seats: PowerId::ALL
                .into_iter()
                .map(|p| SeatStatus {
                    power: p,
                    seat: seats.get(p).to_string(),
                    connected: self
                        .conns
                        .values()
                        .filter(|c| c.who == CodeFor::Seat(p))
                        .count() as u32,
                    ended_turn: seats.get(p) != Seat::Human || self.table.is_ready(p),
                })
                .collect(),
        }
    }

    /// Put `text` in a client's outbox; a client too slow to empty it is
    /// let go rather than waited for.
    fn post(&mut self, conn: u64, text: &Utf8Bytes) {
        let drop = match self.conns.get(&conn) {
            Some(c) => c.outbox.try_send(text.clone()).is_err(),
            None => false,
        };
        if drop {
            self.conns.remove(&conn);
        }
    }

    fn post_message(&mut self, conn: u64, message: &HostMessage) {
        self.post(conn, &message.to_json().into());
    }

    fn conns_of(&self, who: CodeFor) -> Vec<u64> {
        self.conns
            .iter()
            .filter(|(_, c)| c.who == who)
            .map(|(id, _)| *id)
            .collect()
    }

    fn view_text(&self, p: PowerId) -> Utf8Bytes {
        let view = self.table.view(p);
        HostMessage::View {
            figures: super::protocol::ViewFigures::of(&view),
            view: Box::new(view),
        }
        .to_json()
        .into()
    }

    fn public_text(&self) -> Utf8Bytes {
        let turn = self.table.turn();
        let news = self
            .table
            .world()
            .resource::<NewsLog>()
            .items
            .iter()
            .filter(|n| n.is_public())
            .filter(|n| n.turn + crate::rules::view::RECENT_NEWS_TURNS >= turn)
            .cloned()
            .collect();
        HostMessage::Public {
            public: Box::new(public_view(self.table.world())),
            news,
        }
        .to_json()
        .into()
    }

    /// What `p` may read about the turn just resolved.
    fn report(&self, p: PowerId) -> Option<HostMessage> {
        let turn = self.table.turn();
        if turn <= 1 {
            return None;
        }
        let resolved = turn - 1;
        let view = self.table.view(p);
        Some(HostMessage::Report {
            turn: resolved,
            news: news_for(self.table.world(), p)
                .into_iter()
                .filter(|n| n.turn >= resolved)
                .collect(),
            results: view.last_results.clone(),
        })
    }

    fn send_status(&mut self) {
        let text: Utf8Bytes = HostMessage::Status {
            status: self.status(),
        }
        .to_json()
        .into();
        for id in self.conns.keys().copied().collect::<Vec<_>>() {
            self.post(id, &text);
        }
    }

    /// Everything a connection needs to draw its screen.
    fn send_all_to(&mut self, conn: u64) {
        let Some(who) = self.conns.get(&conn).map(|c| c.who) else {
            return;
        };
        match who {
            CodeFor::Seat(p) => {
                let view = self.view_text(p);
                self.post(conn, &view);
                if let Some(report) = self.report(p) {
                    self.post_message(conn, &report);
                }
            }
            CodeFor::Teacher => {
                let public = self.public_text();
                self.post(conn, &public);
            }
        }
        self.post_message(
            conn,
            &HostMessage::Status {
                status: self.status(),
            },
        );
        if self.table.is_over() {
            let hash = self.table.hash();
            let reader = match who {
                CodeFor::Seat(p) => Some(p),
                CodeFor::Teacher => None,
            };
            self.post_message(conn, &game_over(&self.table, hash, reader));
        }
    }

    /// `p`'s view to every connection of `p`.
    fn send_view(&mut self, p: PowerId) {
        let conns = self.conns_of(CodeFor::Seat(p));
        if conns.is_empty() {
            return;
        }
        let text = self.view_text(p);
        for id in conns {
            self.post(id, &text);
        }
    }

    fn drop_closed(&mut self) {
        let before = self.conns.len();
        self.conns.retain(|_, c| !c.outbox.is_closed());
        if self.conns.len() != before {
            self.send_status();
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Join {
                conn,
                who,
                outbox,
                joined,
            } => {
                self.conns.insert(conn, Conn { who, outbox });
                let (role, cards) = match who {
                    CodeFor::Seat(power) => (Role::Player { power }, Vec::new()),
                    CodeFor::Teacher => (Role::Teacher, self.cards.clone()),
                };
                // Only the teacher learns the seats' codes.
                let join = (who == CodeFor::Teacher)
                    .then(|| super::protocol::JoinCard::new(&self.join_link, &self.codes));
                self.post_message(
                    conn,
                    &HostMessage::Welcome {
                        version: PROTOCOL_VERSION,
                        role,
                        game: self.info.clone(),
                        cards,
                        join,
                    },
                );
                self.send_all_to(conn);
                let _ = joined.send(());
                self.say(match who {
                    CodeFor::Seat(p) => format!("{} joined", p.name()),
                    CodeFor::Teacher => "the teacher joined".into(),
                });
                self.send_status();
            }
            Event::Leave { conn } => {
                if let Some(c) = self.conns.remove(&conn) {
                    if let CodeFor::Seat(p) = c.who {
                        self.say(format!("{} left", p.name()));
                    }
                    self.send_status();
                }
            }
            Event::Message {
                conn,
                message,
                done,
            } => {
                if let Some(who) = self.conns.get(&conn).map(|c| c.who) {
                    let reply = match who {
                        CodeFor::Seat(p) => self.team(conn, p, message),
                        CodeFor::Teacher => self.teacher(conn, message),
                    };
                    if let Some(reply) = reply {
                        self.post_message(conn, &reply);
                    }
                }
                let _ = done.send(());
            }
            Event::Stop => {}
        }
    }

    /// Why `p` may not act now, if it may not.
    fn cannot_act(&self, p: PowerId) -> Option<String> {
        if self.table.is_over() {
            Some("the game is over".into())
        } else if self.paused {
            Some("the teacher has paused the game".into())
        } else if self.table.seat(p) != Seat::Human {
            Some(format!(
                "{} is played by the computer now: ask the teacher to hand it back",
                p.name()
            ))
        } else {
            None
        }
    }

    fn team(&mut self, conn: u64, p: PowerId, message: ClientMessage) -> Option<HostMessage> {
        let refused = |reason: String| Some(HostMessage::Refused { reason });
        match message {
            ClientMessage::Hello { .. } => Some(HostMessage::Error {
                message: "already joined".into(),
            }),
            ClientMessage::Ping => Some(HostMessage::Pong),
            ClientMessage::Refresh => {
                self.send_all_to(conn);
                None
            }
            ClientMessage::Submit { power, order } => {
                if let Some(q) = power.filter(|q| *q != p) {
                    return refused(format!(
                        "you play {}: orders for {} are not yours to give",
                        p.name(),
                        q.name()
                    ));
                }
                if let Some(why) = self.cannot_act(p) {
                    return refused(why);
                }
                match self.table.submit(p, order.clone()) {
                    Ok(()) => {
                        let index = self.table.view(p).queued.len().saturating_sub(1);
                        self.post_message(conn, &HostMessage::Queued { index, order });
                        self.send_view(p);
                        None
                    }
                    Err(why) => refused(why.0),
                }
            }
            ClientMessage::Quote { order } => {
                // Read-only: answered even after the team has ended its turn.
                let view = self.table.view(p);
                self.post_message(
                    conn,
                    &HostMessage::Quote {
                        quote: super::protocol::Quote::of(&view, order),
                    },
                );
                None
            }
            ClientMessage::Cancel { index } => {
                if let Some(why) = self.cannot_act(p) {
                    return refused(why);
                }
                if self.table.is_ready(p) {
                    return refused("you have ended your turn: wait for the next one".into());
                }
                match self.table.cancel(p, index) {
                    Some(order) => {
                        self.post_message(conn, &HostMessage::Cancelled { index, order });
                        self.send_view(p);
                        None
                    }
                    None => refused(format!("there is no queued order number {index}")),
                }
            }
            ClientMessage::EndTurn => {
                if let Some(why) = self.cannot_act(p) {
                    return refused(why);
                }
                if self.table.is_ready(p) {
                    return refused("you have already ended this turn".into());
                }
                self.table.end_seat_turn(p);
                self.say(format!("{} ended turn {}", p.name(), self.table.turn()));
                self.send_status();
                Some(HostMessage::Done {
                    what: "turn ended: waiting for the other teams".into(),
                })
            }
            ClientMessage::Pause { .. }
            | ClientMessage::FireCard { .. }
            | ClientMessage::SetClock { .. }
            | ClientMessage::EndTeamTurn { .. }
            | ClientMessage::SetSeat { .. } => {
                refused("only the teacher's code may do that".into())
            }
        }
    }

    fn teacher(&mut self, conn: u64, message: ClientMessage) -> Option<HostMessage> {
        let refused = |reason: String| Some(HostMessage::Refused { reason });
        let done = |what: String| Some(HostMessage::Done { what });
        match message {
            ClientMessage::Hello { .. } => Some(HostMessage::Error {
                message: "already joined".into(),
            }),
            ClientMessage::Ping => Some(HostMessage::Pong),
            ClientMessage::Refresh => {
                self.send_all_to(conn);
                None
            }
            ClientMessage::Submit { .. }
            | ClientMessage::Cancel { .. }
            | ClientMessage::Quote { .. }
            | ClientMessage::EndTurn => {
                refused("the teacher's code gives no orders: each team plays its own seat".into())
            }
            ClientMessage::Pause { paused } => {
                if paused != self.paused {
                    // The clock stops where it is and goes on from there.
                    self.clock_left = self.time_left();
                    self.clock_since = Instant::now();
                    self.paused = paused;
                    self.send_status();
                }
                done(if paused { "paused" } else { "playing again" }.into())
            }
            ClientMessage::FireCard { card } => match self.table.inject_event(&card) {
                Ok(()) => done(format!("\"{card}\" fires next turn")),
                Err(e) => refused(e),
            },
            ClientMessage::SetClock { minutes } => {
                if minutes > 120 {
                    return refused("the clock is in minutes, 0 (none) to 120".into());
                }
                self.per_turn = (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60));
                self.restart_clock();
                self.send_status();
                // Kept beside the autosave now, so a host restarted this
                // turn keeps the teacher's pace.
                if let Some(path) = self.autosave.clone()
                    && let Err(e) = self.kept().write(&path)
                {
                    eprintln!("{e}");
                }
                done(match minutes {
                    0 => "no clock".into(),
                    m => format!("{m} minutes a turn"),
                })
            }
            ClientMessage::EndTeamTurn { power } => {
                if self.table.is_over() {
                    return refused("the game is over".into());
                }
                if self.table.seat(power) != Seat::Human || self.table.is_ready(power) {
                    return refused(format!("{} has already ended this turn", power.name()));
                }
                self.table.end_seat_turn(power);
                self.say(format!("the teacher ended {}'s turn", power.name()));
                self.send_status();
                done(format!("{}'s turn ended", power.name()))
            }
            ClientMessage::SetSeat { power, seat } => {
                let seat = match Seat::parse(&seat) {
                    Ok(s) => s,
                    Err(e) => return refused(e),
                };
                if self.table.is_over() {
                    return refused("the game is over".into());
                }
                // Changing seats starts the turn's "ready" marks afresh; the
                // other teams keep theirs.
                let ready: Vec<PowerId> = PowerId::ALL
                    .into_iter()
                    .filter(|p| *p != power && self.table.is_ready(*p))
                    .collect();
                self.table.set_seat(power, seat);
                for p in ready {
                    if self.table.seat(p) == Seat::Human {
                        self.table.end_seat_turn(p);
                    }
                }
                if let Err(e) = self.write_codes_file() {
                    eprintln!("{e}");
                }
                self.say(format!("{} is now played by: {seat}", power.name()));
                self.send_status();
                done(format!("{} is now {seat}", power.name()))
            }
        }
    }

    fn clock(&mut self) {
        if self.paused || self.table.is_over() {
            return;
        }
        if self.time_left() == Some(Duration::ZERO) {
            let late: Vec<PowerId> = self
                .table
                .humans()
                .into_iter()
                .filter(|p| !self.table.is_ready(*p))
                .collect();
            for p in late {
                self.say(format!("time is up for {}", p.name()));
                self.table.end_seat_turn(p);
            }
            // A turn with no humans left to wait for resolves below; keep
            // the clock from firing again meanwhile.
            self.clock_left = None;
        }
    }

    fn resolve_when_ready(&mut self) {
        if self.paused || self.table.is_over() || !self.table.everyone_ready() {
            return;
        }
        let turn = self.table.turn();
        self.table.play_computers();
        let captured = self.table.end_turn_captured();
        let hash = captured.hash;
        if let Some(path) = self.autosave.clone() {
            let name = format!("{} (classroom)", self.info.title);
            let file = crate::save::SaveFile::of_captured(&self.table, captured, &name);
            match crate::save::write(&path, &file).map_err(|e| e.to_string()) {
                Ok(()) => {
                    if let Err(e) = self.kept().write(&path) {
                        eprintln!("{e}");
                    }
                    self.say(format!("turn {turn} resolved; saved {}", path.display()));
                }
                Err(e) => eprintln!("could not autosave: {e}"),
            }
        } else {
            self.say(format!("turn {turn} resolved"));
        }
        self.restart_clock();
        // Each team its own view and report, the teacher the public view.
        for p in PowerId::ALL {
            let conns = self.conns_of(CodeFor::Seat(p));
            if conns.is_empty() {
                continue;
            }
            let view = self.view_text(p);
            let report: Option<Utf8Bytes> = self.report(p).map(|r| r.to_json().into());
            for id in conns {
                self.post(id, &view);
                if let Some(r) = &report {
                    self.post(id, r);
                }
            }
        }
        let teachers = self.conns_of(CodeFor::Teacher);
        if !teachers.is_empty() {
            let public = self.public_text();
            for id in teachers {
                self.post(id, &public);
            }
        }
        self.send_status();
        if self.table.is_over() && !self.over_sent {
            self.over_sent = true;
            self.say(format!("the game is over (state {})", hash_text(hash)));
            // Each reader's own debrief: the teacher's holds public news only.
            let texts: Vec<(CodeFor, Utf8Bytes)> = [
                None,
                Some(PowerId::Us),
                Some(PowerId::China),
                Some(PowerId::Russia),
            ]
            .into_iter()
            .map(|r| {
                let who = r.map_or(CodeFor::Teacher, CodeFor::Seat);
                (who, game_over(&self.table, hash, r).to_json().into())
            })
            .collect();
            let conns: Vec<(u64, CodeFor)> =
                self.conns.iter().map(|(id, c)| (*id, c.who)).collect();
            for (id, who) in conns {
                if let Some((_, text)) = texts.iter().find(|(w, _)| *w == who) {
                    self.post(id, text);
                }
            }
        }
    }
}
