// The link to the host: one WebSocket at /ws speaking docs/protocol.md.
// Every message the page sends is built here (the browser tests check each
// against web/protocol/client.schema.json, generated from the Rust types).

export const PROTOCOL_VERSION = 1;

export const msg = {
  hello: (code) => ({ type: 'hello', version: PROTOCOL_VERSION, code }),
  submit: (order) => ({ type: 'submit', order }),
  quote: (order) => ({ type: 'quote', order }),
  cancel: (index) => ({ type: 'cancel', index }),
  endTurn: () => ({ type: 'end_turn' }),
  refresh: () => ({ type: 'refresh' }),
  ping: () => ({ type: 'ping' }),
  pause: (paused) => ({ type: 'pause', paused }),
  fireCard: (card) => ({ type: 'fire_card', card }),
  setClock: (minutes) => ({ type: 'set_clock', minutes }),
  endTeamTurn: (power) => ({ type: 'end_team_turn', power }),
  setSeat: (power, seat) => ({ type: 'set_seat', power, seat }),
};

/// Joins with `code` and keeps joining again after a drop, until the host
/// refuses the code. `on.message(m)`, `on.state(text, kind)`, `on.refused(why)`.
export class Link {
  constructor(code, on) {
    this.code = code;
    this.on = on;
    this.socket = null;
    this.welcomed = false;
    this.everJoined = false;
    this.stopped = false;
    this.retry = 0;
    this.connect();
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws`;
  }

  connect() {
    if (this.stopped) return;
    this.welcomed = false;
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch (e) {
      this.lost(`cannot open a connection: ${e.message}`);
      return;
    }
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(msg.hello(this.code)));
    socket.onmessage = (e) => {
      let m;
      try {
        m = JSON.parse(e.data);
      } catch {
        return;
      }
      if (m.type === 'welcome') {
        this.welcomed = true;
        this.everJoined = true;
        this.retry = 0;
        this.on.state('', 'ok');
      }
      if (m.type === 'error' && !this.welcomed) {
        // A wrong code or version would only be refused again; a busy host
        // is worth another try.
        if (/busy/.test(m.message)) {
          this.on.state(`The host is busy: ${m.message}`, 'bad');
          return;
        }
        this.stopped = true;
        this.on.refused(m.message);
        return;
      }
      this.on.message(m);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.lost(this.everJoined
        ? 'The connection to the host was lost. Joining again…'
        : `Cannot reach the host at ${location.host}. Is the teacher's game still running? Trying again…`);
    };
  }

  lost(text) {
    this.on.state(text, 'bad');
    const wait = Math.min(10000, 1000 * 2 ** this.retry);
    this.retry += 1;
    setTimeout(() => this.connect(), wait);
  }

  send(m) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || !this.welcomed) {
      this.on.state('Not connected: your action was not sent. Joining again…', 'bad');
      return false;
    }
    this.socket.send(JSON.stringify(m));
    return true;
  }

  close() {
    this.stopped = true;
    if (this.socket) this.socket.close();
  }
}
