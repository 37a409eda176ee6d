//! The local stand-in for the API, and the delivery-callback listener.
