"""A private Xvfb display, and a watch from outside for a top-level window of a given title mapped and painted."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

# Xlib through ctypes (libX11.so.6 comes with Qt's xcb dependencies): no X client library in the venv, and
# polling every few milliseconds in this process disturbs the measured start less than spawning xwininfo/import.
_IS_VIEWABLE, _Z_PIXMAP, _ALL_PLANES = 2, 2, 0xFFFFFFFFFFFFFFFF


class _WindowAttributes(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
                ("root", ctypes.c_ulong), ("class_", ctypes.c_int), ("bit_gravity", ctypes.c_int),
                ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
                ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong),
                ("map_installed", ctypes.c_int), ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
                ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
                ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p)]


class _Image(ctypes.Structure):  # the head of XImage, up to the fields read here
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int)]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def _xlib() -> ctypes.CDLL:
    x = ctypes.CDLL("libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x.XDefaultRootWindow.restype = ctypes.c_ulong
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                             ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                             ctypes.POINTER(ctypes.c_uint)]
    x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_WindowAttributes)]
    x.XGetWindowProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
                                     ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                                     ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
                                     ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]
    x.XGetImage.restype = ctypes.POINTER(_Image)
    x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                            ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
    x.XDestroyImage.argtypes = [ctypes.POINTER(_Image)]
    x.XFree.argtypes = [ctypes.c_void_p]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
    return x


class Display:
    """A client connection to `name` that looks at the top-level windows other clients put there."""

    def __init__(self, name: str) -> None:
        self._x = _xlib()
        # A window can vanish between two requests (its process ended): ignore the X error instead of exiting.
        self._on_error = _ERROR_HANDLER(lambda display, event: 0)
        self._x.XSetErrorHandler(self._on_error)
        self._display = self._x.XOpenDisplay(name.encode())
        if not self._display:
            raise RuntimeError(f"cannot open X display {name}")
        self._root = self._x.XDefaultRootWindow(self._display)
        self._net_wm_name = self._x.XInternAtom(self._display, b"_NET_WM_NAME", 0)
        self._utf8 = self._x.XInternAtom(self._display, b"UTF8_STRING", 0)

    def close(self) -> None:
        self._x.XCloseDisplay(self._display)

    def windows(self) -> list[int]:
        """The top-level windows (children of the root; there is no window manager to reparent them)."""
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        if not self._x.XQueryTree(self._display, self._root, ctypes.byref(root), ctypes.byref(parent),
                                  ctypes.byref(children), ctypes.byref(count)):
            return []
        found = [children[i] for i in range(count.value)]
        if children:
            self._x.XFree(children)
        return found

    def title(self, window: int) -> str:
        kind, fmt, items, left = ctypes.c_ulong(), ctypes.c_int(), ctypes.c_ulong(), ctypes.c_ulong()
        value = ctypes.c_void_p()
        if self._x.XGetWindowProperty(self._display, window, self._net_wm_name, 0, 1024, 0, self._utf8,
                                      ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(items), ctypes.byref(left),
                                      ctypes.byref(value)) != 0 or not value.value:
            return ""
        try:
            return ctypes.string_at(value.value, items.value).decode("utf-8", "replace")
        finally:
            self._x.XFree(value)

    def viewable(self, window: int) -> tuple[int, int] | None:
        """The window's size if it is mapped and viewable, else None."""
        attributes = _WindowAttributes()
        if not self._x.XGetWindowAttributes(self._display, window, ctypes.byref(attributes)):
            return None
        if attributes.map_state != _IS_VIEWABLE:
            return None
        return attributes.width, attributes.height

    def painted(self, window: int, size: tuple[int, int]) -> bool:
        """True once the window's pixels on screen are not all one colour (Qt sets no background for its windows:
        until its first paint, a freshly mapped window shows the black root beneath it)."""
        image = self._x.XGetImage(self._display, window, 0, 0, size[0], size[1], _ALL_PLANES, _Z_PIXMAP)
        if not image:
            return False
        try:
            head = image.contents
            data = ctypes.string_at(head.data, head.bytes_per_line * head.height)
            step = max(1, head.bits_per_pixel // 8)
            return data.count(data[:step]) * step < len(data)
        finally:
            self._x.XDestroyImage(image)

    def find(self, title: str) -> int | None:
        """A viewable top-level window titled `title` whose pixels have been painted, if there is one."""
        for window in self.windows():
            size = self.viewable(window)
            if size and self.title(window) == title and self.painted(window, size):
                return window
        return None

    def has(self, title: str) -> bool:
        """Whether any top-level window titled `title` still exists (mapped or not)."""
        return any(self.title(window) == title for window in self.windows())


@contextlib.contextmanager
def xvfb(size: str = "1280x800x24") -> Iterator[str]:
    """A private X server (Xvfb) for the length of the block, with a black root; yields its display name."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is not installed (.ci/system-packages.sh installs it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp", "-br"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not report a display")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_window(display: Display, title: str, process: subprocess.Popen, timeout: float = 120,
                    interval: float = 0.005) -> float:
    """perf_counter() at the first poll that sees `title` mapped and painted; raises if `process` ends first."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if display.find(title) is not None:
            return time.perf_counter()
        if process.poll() is not None:
            raise RuntimeError(f"the process ended ({process.returncode}) before its window '{title}' was painted")
        time.sleep(interval)
    raise TimeoutError(f"no window '{title}' painted within {timeout:.0f} s")


def wait_until_gone(display: Display, title: str, timeout: float = 30) -> None:
    """Until no window titled `title` is left on the display (the server cleans up after a process ends)."""
    deadline = time.perf_counter() + timeout
    while display.has(title):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"window '{title}' still there {timeout:.0f} s after its process ended")
        time.sleep(0.01)
