// Saving a file from the page: an anchor with `download` works the same in a browser and in
// Electron (which shows its save dialog), with no file-system access in the renderer.
export function downloadUrl(fileName: string, url: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  downloadUrl(fileName, url);
  // The click has started the download by the time the handler returns; a tick later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
