#!/bin/sh
# /usr/bin/signdesk of the .deb: the PyInstaller bundle lives in /opt/signdesk.
exec /opt/signdesk/signdesk "$@"
