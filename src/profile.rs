//! Profiles and secrets as plain data: where to send, as whom, and how long to wait. The
//! config file resolves into a [`Profile`], the client sends with one, the history names
//! it, and the sandbox makes one for itself.
//!
//! Layering: plain data; no internal imports.

use std::time::Duration;

/// The API secret. Never printed, logged or written: `Debug` and `Display` show `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    /// The secret itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// A profile resolved for sending: where, who, and how long to wait.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    /// The API root; the request goes to `{base_url}/v5/messages`.
    pub base_url: String,
    /// The API key.
    pub username: String,
    pub password: Secret,
    /// Allows Basic auth over plain http to a host other than loopback.
    pub allow_insecure: bool,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// True for the local sandbox: nothing is delivered, no confirmation is asked.
    pub is_sandbox: bool,
}

impl Profile {
    /// `{base_url}/v5/messages`, the one URL this client posts to.
    pub fn messages_url(&self) -> String {
        format!("{}/v5/messages", self.base_url.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let p = Profile {
            name: "p".into(),
            base_url: "https://x".into(),
            username: "u".into(),
            password: Secret::new("hunter2"),
            allow_insecure: false,
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            is_sandbox: false,
        };
        let shown = format!("{p:?} {}", p.password);
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
