//! Machine-readable metadata: JSON-LD for the post (a `BlogPosting` about an `Event`) and
//! short plain-text descriptions of talks.

use serde_json::{Value, json};

use crate::model::{Site, Talk};

/// The post's JSON-LD (the post's absolute `url`, if known), safe to place inside
/// `<script type="application/ld+json">`.
pub(super) fn post_jsonld(
    site: &Site,
    url: Option<String>,
    words: usize,
    image: Option<&super::cover::SocialImage>,
) -> String {
    let config = &site.config;
    let event = &config.event;
    let location = if event.is_virtual {
        let mut place = json!({ "@type": "VirtualLocation" });
        if let Some(u) = event.url.clone().or_else(|| url.clone()) {
            place["url"] = json!(u);
        }
        place
    } else {
        json!({ "@type": "Place", "name": event.location.clone().unwrap_or_else(|| event.name.clone()), "address": event.location })
    };
    let mode = if event.is_virtual {
        "https://schema.org/OnlineEventAttendanceMode"
    } else {
        "https://schema.org/OfflineEventAttendanceMode"
    };
    let mut event_ld = json!({
        "@type": "Event",
        "name": event.name,
        "startDate": site.days.first().map(|d| d.date.to_string()),
        "endDate": site.days.last().map(|d| d.date.to_string()),
        "eventAttendanceMode": mode,
        "eventStatus": "https://schema.org/EventScheduled",
        "location": location,
    });
    if let Some(u) = &event.url {
        event_ld["url"] = json!(u);
    }
    let mut post = json!({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": config.title,
        "inLanguage": config.language.code(),
        "wordCount": words,
        "about": event_ld,
    });
    if let Some(d) = &config.description {
        post["description"] = json!(d);
    }
    if let Some(p) = config.published {
        post["datePublished"] = json!(p.to_string());
    }
    if let Some(a) = &config.author {
        post["author"] = json!({ "@type": "Person", "name": a });
    }
    if let Some(i) = image {
        post["image"] = i.jsonld();
    }
    if let Some(u) = url {
        post["url"] = json!(u);
        post["mainEntityOfPage"] = json!({ "@type": "WebPage", "@id": u });
    }
    script_safe(&post)
}

/// JSON that cannot end its `<script>` element early.
pub(super) fn script_safe(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// "Speakers: the first words of the note…"
pub(super) fn talk_description(t: &Talk, summary: Option<&str>) -> String {
    let speakers: Vec<&str> = t.speakers.iter().map(|s| s.name.as_str()).collect();
    match summary.filter(|s| !s.is_empty()) {
        Some(s) => format!("{}: {s}", speakers.join(", ")),
        None => speakers.join(", "),
    }
}
