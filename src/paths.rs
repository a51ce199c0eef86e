//! Where the game keeps its files: settings and saves, in the platform's
//! usual places. `RARE_EARTH_GAMBIT_HOME` puts them all under one folder
//! instead (tests, school computers with a shared drive).

use std::path::PathBuf;

const HOME_VAR: &str = "RARE_EARTH_GAMBIT_HOME";

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "Rare Earth Gambit", "rare-earth-gambit")
}

fn home_override() -> Option<PathBuf> {
    std::env::var_os(HOME_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Folder of `settings.ron`.
pub fn config_dir() -> PathBuf {
    home_override()
        .or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Folder of saves and autosaves.
pub fn data_dir() -> PathBuf {
    home_override()
        .map(|h| h.join("saves"))
        .or_else(|| project_dirs().map(|d| d.data_dir().join("saves")))
        .unwrap_or_else(|| PathBuf::from("saves"))
}
