//! Names to addresses, and "this machine" decided on the addresses.
//!
//! Basic auth over plain http goes only to this machine, and the sandbox posts callbacks only
//! to this machine. A name cannot say so: `evil.example.localhost` may resolve anywhere. So a
//! request that must stay here resolves its host through [`LoopbackOnly`], which answers
//! only when every address of the name is a loopback one; the connection is then made to
//! those very addresses (no second lookup that could answer differently).
//!
//! [`Resolver::fixed`] answers from a table, for tests: no DNS. In debug builds,
//! `RCS_COMPOSER_TEST_RESOLVE="name=ip[,ip…][;name=ip…]"` gives the binary such a table.

use super::transport::{NameNotResolved, SystemResolver};
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Where names are looked up: the system's resolver, or a fixed table.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    fixed: Option<Arc<HashMap<String, Vec<IpAddr>>>>,
}

impl Resolver {
    /// The system's resolver (`getaddrinfo`).
    pub fn system() -> Self {
        Self::default()
    }

    /// Answers from `table` only (names compared without case and without a final dot); any
    /// other name is not found. For tests.
    pub fn fixed<S: Into<String>>(table: impl IntoIterator<Item = (S, Vec<IpAddr>)>) -> Self {
        let map = table
            .into_iter()
            .map(|(n, a)| (normal(&n.into()), a))
            .collect();
        Resolver {
            fixed: Some(Arc::new(map)),
        }
    }

    /// The system's resolver; in debug builds, the table in `RCS_COMPOSER_TEST_RESOLVE` when
    /// it is set (for the tests that run the binary).
    pub fn from_env() -> Self {
        #[cfg(debug_assertions)]
        if let Ok(spec) = std::env::var("RCS_COMPOSER_TEST_RESOLVE") {
            let table = spec.split(';').filter_map(|entry| {
                let (name, addrs) = entry.split_once('=')?;
                let addrs = addrs.split(',').filter_map(|a| a.trim().parse().ok());
                Some((name.trim().to_string(), addrs.collect::<Vec<IpAddr>>()))
            });
            return Self::fixed(table);
        }
        Self::system()
    }

    /// Every address of `host`.
    pub async fn lookup(&self, host: &str) -> io::Result<Vec<IpAddr>> {
        let addrs: Vec<IpAddr> = match &self.fixed {
            Some(table) => {
                // The answer comes later, as the system's does: lookups asked for at the same
                // time are under way at the same time.
                tokio::task::yield_now().await;
                table.get(&normal(host)).cloned().unwrap_or_default()
            }
            None => tokio::net::lookup_host((host, 0))
                .await?
                .map(|a| a.ip())
                .collect(),
        };
        if addrs.is_empty() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no address found"));
        }
        Ok(addrs)
    }
}

fn normal(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        if self.fixed.is_none() {
            return SystemResolver.resolve(name);
        }
        let me = self.clone();
        Box::pin(async move {
            match me.lookup(name.as_str()).await {
                Ok(addrs) => Ok(addrs_of(addrs)),
                Err(e) => Err(Box::new(NameNotResolved::from(e)) as _),
            }
        })
    }
}

fn addrs_of(addrs: Vec<IpAddr>) -> reqwest::dns::Addrs {
    Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)))
}

/// True for an address of this machine: 127.0.0.0/8, ::1, and ::ffff:127.x.y.z.
pub fn is_loopback_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v| v.is_loopback()),
    }
}

/// A resolver that gives a name's addresses only when every one of them is this machine's;
/// otherwise the lookup fails with [`NotLoopback`], and nothing is connected to.
#[derive(Debug, Clone, Default)]
pub struct LoopbackOnly(pub Resolver);

impl reqwest::dns::Resolve for LoopbackOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let inner = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs = inner
                .lookup(&host)
                .await
                .map_err(|e| Box::new(NameNotResolved::from(e)) as Box<_>)?;
            if addrs.iter().all(|a| is_loopback_ip(*a)) {
                Ok(addrs_of(addrs))
            } else {
                Err(Box::new(NotLoopback { host, addrs }) as _)
            }
        })
    }
}

/// A name that had to be this machine resolved elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLoopback {
    pub host: String,
    pub addrs: Vec<IpAddr>,
}

impl std::fmt::Display for NotLoopback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let addrs: Vec<String> = self.addrs.iter().map(IpAddr::to_string).collect();
        write!(
            f,
            "{} resolves to {}, not only to this machine (127.0.0.0/8, ::1)",
            self.host,
            addrs.join(", ")
        )
    }
}

impl std::error::Error for NotLoopback {}

/// The [`NotLoopback`] in an error's chain of causes, if that is why it failed.
pub fn not_loopback(e: &(dyn std::error::Error + 'static)) -> Option<NotLoopback> {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if let Some(n) = c.downcast_ref::<NotLoopback>() {
            return Some(n.clone());
        }
        // Through the io::Error hyper wraps a resolver's error in.
        if let Some(inner) = c
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .and_then(|i| i.downcast_ref::<NotLoopback>())
        {
            return Some(inner.clone());
        }
        cur = c.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses() {
        for ip in ["127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "0.0.0.0"] {
            assert!(!is_loopback_ip(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn a_fixed_table_answers_without_dns() {
        let r = Resolver::fixed([(
            "Evil.Example.localhost.",
            vec!["203.0.113.7".parse().unwrap()],
        )]);
        assert_eq!(
            r.lookup("evil.example.localhost").await.unwrap(),
            ["203.0.113.7".parse::<IpAddr>().unwrap()]
        );
        assert!(r.lookup("other.localhost").await.is_err());
    }
}
