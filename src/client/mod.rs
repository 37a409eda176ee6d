//! Sending to the API.
