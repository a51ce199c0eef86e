//! The browser client, served by the host on its own port: `GET /` is the
//! page, the rest the scripts, the map and the encyclopedia it reads. The
//! files live in `web/` and are compiled into the binary, so a student's
//! computer needs nothing but a browser.
//!
//! Setting `REG_WEB_DIR` to a folder serves the files from there instead
//! (the same names only), so the page can be edited without a rebuild.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Every file the page uses: name, content type, bundled text.
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../web/index.html"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../web/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/app.js"),
    ),
    (
        "net.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/net.js"),
    ),
    (
        "panels.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/panels.js"),
    ),
    (
        "map.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/map.js"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/charts.js"),
    ),
    (
        "words.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/words.js"),
    ),
    (
        "client.schema.json",
        "application/json",
        include_str!("../../web/protocol/client.schema.json"),
    ),
    (
        "host.schema.json",
        "application/json",
        include_str!("../../web/protocol/host.schema.json"),
    ),
];

const COUNTRIES: &str = include_str!("../../assets/map/countries.json");

/// The page's routes; the host adds its WebSocket beside them.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { file("index.html") }))
        .route(
            "/{name}",
            get(|Path(name): Path<String>| async move { file(&name) }),
        )
        .route(
            "/protocol/{name}",
            get(|Path(name): Path<String>| async move { file(&name) }),
        )
        .route(
            "/map/countries.json",
            get(|| async { answer("application/json", COUNTRIES.to_string()) }),
        )
        .route(
            "/map/front/{permille}",
            get(|Path(permille): Path<u32>| async move { front(permille) }),
        )
        .route("/encyclopedia.json", get(|| async { encyclopedia() }))
}

fn answer(content_type: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            // A new host build must not be shadowed by a cached page.
            (header::CACHE_CONTROL, "no-cache".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        body,
    )
        .into_response()
}

fn file(name: &str) -> Response {
    let Some((name, content_type, bundled)) = FILES.iter().find(|(n, _, _)| *n == name) else {
        return (
            StatusCode::NOT_FOUND,
            "not found: the game is at / on this address",
        )
            .into_response();
    };
    let body = match std::env::var_os("REG_WEB_DIR") {
        Some(dir) => {
            let dir = std::path::PathBuf::from(dir);
            let path = if name.ends_with(".schema.json") {
                dir.join("protocol").join(name)
            } else {
                dir.join(name)
            };
            std::fs::read_to_string(&path).unwrap_or_else(|_| bundled.to_string())
        }
        None => bundled.to_string(),
    };
    answer(content_type, body)
}

/// The front across Ukraine as `[lat, lon]` points, for the game's front
/// index in thousandths (the window draws the same line).
fn front(permille: u32) -> Response {
    let line = crate::map::front_line(f64::from(permille.min(1000)) / 1000.0);
    answer("application/json", serde_json::json!(line).to_string())
}

/// The encyclopedia's pages, glossary and sources, from the game's own
/// data (the same the window shows).
fn encyclopedia() -> Response {
    let enc = crate::encyclopedia::encyclopedia();
    let body = serde_json::json!({
        "pages": enc.pages,
        "glossary": enc.glossary_sorted(),
        "sources": enc.sources,
    });
    answer("application/json", body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_type_and_unknown_names_are_not_found() {
        for (name, _, _) in FILES {
            let r = file(name);
            assert_eq!(r.status(), StatusCode::OK, "{name}");
            assert!(r.headers().contains_key(header::CONTENT_TYPE));
        }
        assert_eq!(front(350).status(), StatusCode::OK);
        for bad in ["../Cargo.toml", "secret", "%2e%2e", ""] {
            assert_eq!(file(bad).status(), StatusCode::NOT_FOUND, "{bad}");
        }
    }
}
