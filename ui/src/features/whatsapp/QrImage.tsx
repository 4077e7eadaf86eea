// A QR code drawn as an SVG image (redrawn whenever the payload rotates).
import { create } from "qrcode";
import { useMemo } from "react";

/** The QR symbol for `text` as an SVG data URL (quiet zone of `margin` modules), or null if it cannot be encoded. */
export function qrDataUrl(text: string, margin = 2): string | null {
  try {
    const { modules } = create(text, { errorCorrectionLevel: "M" });
    const n = modules.size;
    let path = "";
    for (let row = 0; row < n; row += 1) {
      for (let col = 0; col < n; col += 1) {
        if (modules.data[row * n + col]) path += `M${col + margin} ${row + margin}h1v1h-1z`;
      }
    }
    const size = n + margin * 2;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
      `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`;
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  } catch {
    return null;
  }
}

export function QrImage({ value, alt, size = 264 }: { value: string; alt: string; size?: number }) {
  const src = useMemo(() => qrDataUrl(value), [value]);
  if (!src) return <code className="qr-fallback" data-testid="wa-qr-image">{value}</code>;
  return <img className="qr-image" data-testid="wa-qr-image" src={src} alt={alt} width={size} height={size} />;
}
