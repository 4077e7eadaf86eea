import { fireEvent, render, screen } from "@testing-library/react";
import { applyLanguage } from "../../i18n";
import { UpdateDialog } from "./UpdateDialog";

const noop = () => undefined;

describe("UpdateDialog", () => {
  it("offers the version with its notes, in Russian and English", async () => {
    await applyLanguage("ru");
    let installs = 0;
    const { rerender } = render(<UpdateDialog state={{ state: "available", current: "0.1.0", version: "0.2.0", notes: "Быстрее входящие" }} onInstall={() => (installs += 1)} onLater={noop} onClose={noop} />);
    expect(screen.getByTestId("update-version").textContent).toBe("Доступна версия 0.2.0");
    expect(screen.getByTestId("update-notes").textContent).toBe("Быстрее входящие");
    fireEvent.click(screen.getByTestId("update-install"));
    expect(installs).toBe(1);
    await applyLanguage("en");
    rerender(<UpdateDialog state={{ state: "available", current: "0.1.0", version: "0.2.0", notes: null }} onInstall={noop} onLater={noop} onClose={noop} />);
    expect(screen.getByTestId("update-version").textContent).toBe("Version 0.2.0 is available");
    expect(screen.queryByTestId("update-notes")).toBeNull();
  });

  it("shows the download as a progress bar and cannot be closed while it runs", async () => {
    await applyLanguage("en");
    render(<UpdateDialog state={{ state: "downloading", version: "0.2.0", received: 3 * 1024 * 1024, total: 12 * 1024 * 1024 }} onInstall={noop} onLater={noop} onClose={noop} />);
    expect((screen.getByTestId("update-progress") as HTMLProgressElement).value).toBe(25);
    expect(screen.getByTestId("update-progress-text").textContent).toBe("25% — 3.0 of 12.0 MB");
    expect(screen.queryByTestId("update-close")).toBeNull();
  });

  it("a refused install says to use the package manager, with the exact command", async () => {
    await applyLanguage("ru");
    const command = "sudo apt install /home/m/.local/share/app.tourdesk.desk/updates/Tourdesk_0.2.0_amd64.deb";
    render(<UpdateDialog state={{ state: "failed", failure: "install_refused", detail: "Failed to install package", command }} onInstall={noop} onLater={noop} onClose={noop} />);
    expect(screen.getByTestId("update-error").textContent).toBe("Система не разрешила установить обновление.");
    expect(screen.getByTestId("update-command").textContent).toBe(command);
    expect(screen.getByText(/менеджер пакетов/)).toBeTruthy();
  });
});
