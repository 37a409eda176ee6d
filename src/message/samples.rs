//! Bodies built to the limits, for benchmarks and tests: the largest legal carousel.

use serde_json::{Value, json};

/// A string of exactly `n` UTF-16 units, mixing ASCII with two-byte and four-byte characters
/// so that every length check counts for real.
pub fn text_of(n: usize) -> String {
    let pattern = ['R', 'C', 'S', ' ', 'é', 'ü', '漢', '-'];
    let mut s = String::new();
    let mut units = 0;
    let mut i = 0;
    while units < n {
        let c = if n - units >= 2 && i % 17 == 16 {
            '🙂'
        } else {
            pattern[i % pattern.len()]
        };
        units += c.len_utf16();
        s.push(c);
        i += 1;
    }
    s
}

fn url_of(n: usize, host: &str) -> String {
    let head = format!("https://{host}/");
    format!("{head}{}", "p".repeat(n.saturating_sub(head.len())))
}

/// The largest legal carousel: 10 cards of 4 choices each (one of every kind with fields,
/// cycling), every text and URL at its maximum length, a callback URL and an MMS failover.
/// Valid: no errors (it warns about body size and TALL cards only if they occur).
pub fn largest_carousel() -> Value {
    let choice = |card: usize, i: usize| -> Value {
        let title = text_of(25);
        let postback = text_of(2048);
        match (card + i) % 4 {
            0 => json!({"type": "OPEN_URL", "title": title, "postbackData": postback,
                        "url": url_of(2048, "shop.example"), "application": "WEBVIEW",
                        "webviewViewMode": "HALF"}),
            1 => json!({"type": "DIAL_PHONE", "title": title, "postbackData": postback,
                        "phoneNumber": "+1555123456789012345"}),
            2 => json!({"type": "SHOW_LOCATION", "title": title, "postbackData": postback,
                        "latitude": 37.808674, "longitude": -122.409821, "label": text_of(60)}),
            _ => json!({"type": "CREATE_CALENDAR_EVENT", "title": title, "postbackData": postback,
                        "startTime": "2030-03-03T15:00:00.000+01:00",
                        "endTime": "2030-03-03T16:00:00.000+01:00",
                        "eventTitle": text_of(100), "description": text_of(500)}),
        }
    };
    let cards: Vec<Value> = (0..10)
        .map(|c| {
            json!({
                "title": text_of(100),
                "description": text_of(500),
                "height": if c % 2 == 0 { "MEDIUM" } else { "SHORT" },
                "mediaUrl": url_of(300, "cdn.example"),
                "thumbnailUrl": url_of(300, "cdn.example"),
                "filenameOverride": text_of(100),
                "choices": (0..4).map(|i| choice(c, i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "messageType": "RCS_CAROUSEL",
        "source": "CONVEY",
        "destination": "15559876543",
        "cards": cards,
        "callbackURL": url_of(2048, "hooks.example"),
        "mmsFailover": {
            "enabled": true,
            "failoverSource": "1".repeat(50),
            "fallbackText": text_of(160),
            "mediaUrl": url_of(300, "cdn.example"),
            "subject": text_of(100),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_counts_utf16_units() {
        for n in [0, 1, 2, 25, 100, 2048] {
            assert_eq!(text_of(n).encode_utf16().count(), n);
        }
    }

    #[test]
    fn largest_carousel_is_valid_and_at_the_limits() {
        let d = largest_carousel();
        let r = super::super::validate(&d);
        assert!(r.is_valid(), "{:?}", r.errors);
        assert_eq!(
            d["cards"].as_array().unwrap().len(),
            super::super::schema::MAX_CARDS
        );
        // One more character anywhere is an error.
        let mut over = d.clone();
        over["cards"][3]["choices"][2]["title"] = json!(text_of(26));
        assert!(!super::super::validate(&over).is_valid());
    }
}
