//! The browser client's copy of the protocol: `web/protocol/*.schema.json`
//! must be what the Rust types generate, so the page and the host cannot
//! drift apart. `REG_BLESS=1 cargo test --test web` writes them afresh.

use rare_earth_gambit::net::protocol::json_schemas;

#[test]
fn the_committed_protocol_schemas_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/protocol");
    let bless = std::env::var_os("REG_BLESS").is_some();
    for (name, text) in json_schemas() {
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: run `REG_BLESS=1 cargo test --test web` and commit it (the browser client reads it)",
            path.display()
        );
    }
}

#[test]
fn the_schemas_name_every_message_type() {
    let [(_, client), (_, host)] = json_schemas();
    for t in rare_earth_gambit::net::protocol::ClientMessage::TYPES {
        assert!(
            client.contains(&format!("\"{t}\"")),
            "client schema lacks {t}"
        );
    }
    for t in rare_earth_gambit::net::protocol::HostMessage::TYPES {
        assert!(host.contains(&format!("\"{t}\"")), "host schema lacks {t}");
    }
}
