#!/bin/sh
# Install signdesk for the current user: ~/.local/opt/signdesk, a launcher and a menu entry.
set -e
here=$(cd "$(dirname "$0")" && pwd)
dest="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$dest/applications" "$dest/icons/hicolor/scalable/apps"
rm -rf "$HOME/.local/opt/signdesk"
cp -r "$here" "$HOME/.local/opt/signdesk"
ln -sf "$HOME/.local/opt/signdesk/signdesk" "$HOME/.local/bin/signdesk"
cp "$here/signdesk.svg" "$dest/icons/hicolor/scalable/apps/signdesk.svg"
sed "s|^Exec=.*|Exec=$HOME/.local/opt/signdesk/signdesk|" "$here/signdesk.desktop" > "$dest/applications/signdesk.desktop"
echo "signdesk installed: find it in your applications menu, or run ~/.local/bin/signdesk"
