"""A small window that offers files for dragging, as a file manager does (XDND, text/uri-list).

Usage: drag-source.py X Y FILE...  Shows a 120×90 button at screen point (X, Y) and prints "ready" once it
is on screen; a drag that starts on it carries the FILEs. Prints "dropped" when a drag ends with a drop, or
"failed" when nobody took it, and quits; quits by itself after 60 s, so a test that never drags leaves nothing
running.
"""

import sys
from pathlib import Path

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import GLib, Gdk, Gtk  # noqa: E402

x, y = int(sys.argv[1]), int(sys.argv[2])
uris = [Path(f).resolve().as_uri() for f in sys.argv[3:]]

window = Gtk.Window(title="drag-source")
window.set_default_size(120, 90)
window.move(x, y)
button = Gtk.Button(label="files")
button.set_size_request(120, 90)
button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
button.drag_source_add_uri_targets()
button.connect("drag-data-get", lambda _w, _ctx, data, _info, _time: data.set_uris(uris))


failed = False


def refused(_widget, _ctx, result):
    global failed
    failed = True
    print(f"drag failed ({result.value_nick})", flush=True)
    return True  # no animation back to the source


def ended(*_args):
    if not failed:
        print("dropped", flush=True)
    Gtk.main_quit()


button.connect("drag-failed", refused)
button.connect("drag-end", ended)
window.add(button)
window.connect("map-event", lambda *_a: print("ready", flush=True))
window.connect("destroy", Gtk.main_quit)
GLib.timeout_add_seconds(60, Gtk.main_quit)
window.show_all()
Gtk.main()
