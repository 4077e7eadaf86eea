//! The tray icon: the unread count beside it and in its tooltip, and a menu (open the window,
//! the WhatsApp state, quit). The page words the labels in the user's language and sends them
//! with [`TrayView`]; this module only draws them and acts on the menu.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};
use tourdesk_app::core::desktop::TrayView;

/// The tray icon's id.
const TRAY_ID: &str = "main";
/// Menu item id: show the window.
pub const OPEN: &str = "tray-open";
/// Menu item id: the WhatsApp state line (informative; choosing it shows the window).
pub const WHATSAPP: &str = "tray-whatsapp";
/// Menu item id: quit the app (WhatsApp stops with it).
pub const QUIT: &str = "tray-quit";

/// What a menu choice does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    /// Show, unminimise and focus the main window.
    ShowWindow,
    /// Exit the app.
    Quit,
}

/// The action of a menu item id (`None` for ids that are not ours).
pub fn action_for(id: &str) -> Option<TrayAction> {
    match id {
        OPEN | WHATSAPP => Some(TrayAction::ShowWindow),
        QUIT => Some(TrayAction::Quit),
        _ => None,
    }
}

/// What the tray's actions act on (the app, or a recorder in tests: bare Xvfb has no tray host).
pub trait TrayShell {
    /// Shows, unminimises and focuses the main window.
    fn show_window(&self);
    /// Exits the app.
    fn quit(&self);
}

/// Runs the action of menu item `id`; returns it.
pub fn handle(shell: &impl TrayShell, id: &str) -> Option<TrayAction> {
    let action = action_for(id)?;
    match action {
        TrayAction::ShowWindow => shell.show_window(),
        TrayAction::Quit => shell.quit(),
    }
    Some(action)
}

/// The text beside the icon: the unread count, nothing when there is none.
pub fn badge(unread: u32) -> Option<String> {
    match unread {
        0 => None,
        1..=99 => Some(unread.to_string()),
        _ => Some("99+".to_string()),
    }
}

impl<R: Runtime> TrayShell for AppHandle<R> {
    fn show_window(&self) {
        crate::instance::show_main(self);
    }
    fn quit(&self) {
        tracing::info!("quit from the tray");
        self.exit(0);
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<Menu<R>> {
    let open = MenuItem::with_id(app, OPEN, &view.open_label, true, None::<&str>)?;
    let wa = MenuItem::with_id(app, WHATSAPP, &view.whatsapp_label, true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    let quit = MenuItem::with_id(app, QUIT, &view.quit_label, true, None::<&str>)?;
    Menu::with_items(app, &[&open, &wa, &sep, &quit])
}

/// The view before the page has sent its own (English, no unread).
pub fn initial_view() -> TrayView {
    TrayView {
        open_label: "Open Tourdesk".into(),
        whatsapp_label: "WhatsApp".into(),
        quit_label: "Quit".into(),
        unread: 0,
        tooltip: "Tourdesk".into(),
    }
}

/// Creates the tray icon. Where the desktop has no tray the icon is simply not shown.
pub fn init<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let view = initial_view();
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .menu(&menu(app, &view)?)
        .tooltip(&view.tooltip)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| {
            handle(app, event.id().as_ref());
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                tray.app_handle().show_window();
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Redraws the tray from the page's view (labels, unread count, tooltip).
pub fn update<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<()> {
    let Some(icon) = app.tray_by_id(TRAY_ID) else {
        return Ok(());
    };
    icon.set_menu(Some(menu(app, view)?))?;
    icon.set_tooltip(Some(&view.tooltip))?;
    icon.set_title(badge(view.unread))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[derive(Default)]
    struct Recorder(RefCell<Vec<&'static str>>);

    impl TrayShell for Recorder {
        fn show_window(&self) {
            self.0.borrow_mut().push("show");
        }
        fn quit(&self) {
            self.0.borrow_mut().push("quit");
        }
    }

    #[test]
    fn open_and_the_whatsapp_line_show_the_window_quit_quits_and_other_ids_do_nothing() {
        let r = Recorder::default();
        assert_eq!(handle(&r, OPEN), Some(TrayAction::ShowWindow));
        assert_eq!(handle(&r, WHATSAPP), Some(TrayAction::ShowWindow));
        assert_eq!(handle(&r, "something-else"), None);
        assert_eq!(handle(&r, QUIT), Some(TrayAction::Quit));
        assert_eq!(*r.0.borrow(), vec!["show", "show", "quit"]);
    }

    #[test]
    fn the_badge_shows_the_unread_count_and_nothing_at_zero() {
        assert_eq!(badge(0), None);
        assert_eq!(badge(3).as_deref(), Some("3"));
        assert_eq!(badge(99).as_deref(), Some("99"));
        assert_eq!(badge(250).as_deref(), Some("99+"));
    }
}
