use luoshi_app::App;

/// Shared request state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    pub config: WebConfig,
}

/// Web settings.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
}
