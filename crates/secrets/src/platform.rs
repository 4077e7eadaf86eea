//! The real keychain credential of each OS; there is deliberately no mock fallback.

use keyring::credential::Credential;

/// Name of the keychain backend on this OS, as shown on the settings page.
#[cfg(target_os = "linux")]
pub(crate) const BACKEND_NAME: &str = "secret-service";
/// Name of the keychain backend on this OS, as shown on the settings page.
#[cfg(target_os = "macos")]
pub(crate) const BACKEND_NAME: &str = "macos-keychain";
/// Name of the keychain backend on this OS, as shown on the settings page.
#[cfg(target_os = "windows")]
pub(crate) const BACKEND_NAME: &str = "windows-credential-manager";

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
compile_error!("tourdesk-secrets supports Linux, macOS and Windows keychains only");

/// Builds the platform credential for one secret, bypassing keyring's replaceable default
/// builder so that a mock can never be selected by accident.
#[cfg(target_os = "linux")]
pub(crate) fn credential(service: &str, name: &str) -> keyring::Result<Box<Credential>> {
    let credential = keyring::secret_service::SsCredential::new_with_target(None, service, name)?;
    Ok(Box::new(credential))
}

/// Builds the platform credential for one secret, bypassing keyring's replaceable default
/// builder so that a mock can never be selected by accident.
#[cfg(target_os = "macos")]
pub(crate) fn credential(service: &str, name: &str) -> keyring::Result<Box<Credential>> {
    let credential = keyring::macos::MacCredential::new_with_target(None, service, name)?;
    Ok(Box::new(credential))
}

/// Builds the platform credential for one secret, bypassing keyring's replaceable default
/// builder so that a mock can never be selected by accident.
#[cfg(target_os = "windows")]
pub(crate) fn credential(service: &str, name: &str) -> keyring::Result<Box<Credential>> {
    let credential = keyring::windows::WinCredential::new_with_target(None, service, name)?;
    Ok(Box::new(credential))
}

/// A hint about the most common cause of an unusable keychain on this OS, if one applies.
#[cfg(target_os = "linux")]
pub(crate) fn environment_hint() -> Option<&'static str> {
    match std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        None => Some("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"),
        Some(_) => None,
    }
}

/// A hint about the most common cause of an unusable keychain on this OS, if one applies.
#[cfg(not(target_os = "linux"))]
pub(crate) fn environment_hint() -> Option<&'static str> {
    None
}
