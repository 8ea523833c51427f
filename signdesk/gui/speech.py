"""Saying recognized signs aloud with Qt's offline text-to-speech, when the system has it.

Qt TextToSpeech needs a speech engine (speech-dispatcher on Linux, SAPI/WinRT on Windows,
AVSpeech on macOS) and, on Linux, PulseAudio's client library. When any of it is missing the
app runs as usual and the voice toggle is disabled with :attr:`Speaker.reason` as its tooltip.

The engine is started only when the voice is first turned on, and it lives in its own thread:
a speech backend that hangs (a stuck speech-dispatcher) cannot freeze the window. Calls go
through Qt's meta-object system because PySide6 6.12's bindings of ``say``/``stop``/
``setLocale`` drop a reference to ``None`` on every call, which eventually crashes Python.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Q_ARG, QLocale, QLoggingCategory, QMetaObject, QObject, Qt, QThread, Signal, Slot

from signdesk.gui.i18n import tr
from signdesk.gui.style import is_rtl
from signdesk.recognizer import Label

log = logging.getLogger(__name__)

#: Qt's test engine makes no sound: never picked on its own, only when asked for by name (tests).
_FAKE_ENGINES = {"mock"}
_DIRECT = Qt.ConnectionType.DirectConnection


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Voice(QObject):
    """Owns the QTextToSpeech engine, inside the speech thread."""

    started = Signal(list, str)  # locale names the engine can speak, error ("" if fine)

    def __init__(self, engine: str) -> None:
        super().__init__()
        self._engine = engine
        self._tts = None

    @Slot()
    def start(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        tts = QTextToSpeech(self._engine, self)
        if tts.state() == QTextToSpeech.State.Error:
            self.started.emit([], tr("%1 failed (%2)", self._engine, tts.errorString() or tr("no details")))
            return
        self._tts = tts
        self.started.emit([locale.name() for locale in tts.availableLocales()], "")

    @Slot(str, str)
    def say(self, text: str, locale: str) -> None:
        if self._tts is None:
            return
        if locale and self._tts.locale().name() != locale:
            self._tts.setProperty("locale", QLocale(locale))
        QMetaObject.invokeMethod(self._tts, "say", _DIRECT, Q_ARG(str, text))

    @Slot()
    def stop(self) -> None:
        if self._tts is not None:
            QMetaObject.invokeMethod(self._tts, "stop", _DIRECT)


class Speaker(QObject):
    """The app's voice: which engine there is (or why there is none), and speaking a sign."""

    failed = Signal(str)  # the engine could not start; the voice is off
    _say = Signal(str, str)
    _stop = Signal()

    def __init__(self, parent: QObject | None = None, engine: str | None = None) -> None:
        super().__init__(parent)
        self.reason = ""
        self.engine = ""
        self.locales: list[str] = []
        self.thread: QThread | None = None
        self.ready = False
        # Qt Multimedia (loaded with the speech module) warns about optional audio back-ends it lacks;
        # the same rule as signdesk.gui.qt_capture's, which this call must not undo.
        QLoggingCategory.setFilterRules("qt.multimedia.*=false")
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except Exception as exc:  # ImportError, or OSError when libpulse.so.0 etc. are missing
            self.reason = tr("Voice is unavailable: Qt text-to-speech could not load (%1)", _first_line(exc))
            return
        engines = [e for e in QTextToSpeech.availableEngines() if e not in _FAKE_ENGINES]
        if engine is not None:
            engines = [engine] if engine in QTextToSpeech.availableEngines() else []
        if not engines:
            self.reason = tr("Voice is unavailable: no text-to-speech engine is installed "
                             "(on Linux install speech-dispatcher)")
            return
        self.engine = engines[0]

    @property
    def available(self) -> bool:
        return bool(self.engine) and not self.reason

    def start(self) -> None:
        """Start the engine in its thread (once); ``failed`` is emitted if it cannot speak."""
        if self.thread is not None or not self.available:
            return
        voice = _Voice(self.engine)
        thread = QThread()
        thread.setObjectName("signdesk-speech")
        voice.moveToThread(thread)
        thread.started.connect(voice.start)
        thread.finished.connect(voice.deleteLater)
        voice.started.connect(self._started)
        self._say.connect(voice.say)
        self._stop.connect(voice.stop)
        self._voice = voice
        self.thread = thread
        thread.start()

    @Slot(list, str)
    def _started(self, locales: list, error: str) -> None:
        if error:
            self.reason = tr("Voice is unavailable: %1", error)
            log.warning("%s", self.reason)
            self.failed.emit(self.reason)
            return
        self.locales = list(locales)
        self.ready = True

    def _locale_for(self, language: QLocale.Language) -> str | None:
        return next((name for name in self.locales if QLocale(name).language() == language), None)

    def text_for(self, label: Label) -> tuple[str, str]:
        """What to say for a sign and in which locale: its own name if a voice reads its
        script, else its English gloss."""
        english = self._locale_for(QLocale.Language.English) or ""
        if is_rtl(label.name):
            arabic = self._locale_for(QLocale.Language.Arabic)
            return (label.name, arabic) if arabic else (label.gloss, english)
        return label.gloss or label.name, english

    def say(self, label: Label) -> str:
        """Speak the sign; returns the text sent ("" when the voice is not ready or has nothing to say)."""
        if not self.ready:
            self.start()
            return ""
        text, locale = self.text_for(label)
        if text:
            self._say.emit(text, locale)
            log.info("speaking %r (%s)", text, locale or "default voice")
        return text

    def stop(self) -> None:
        if self.thread is not None:
            self._stop.emit()

    def shutdown(self, timeout_ms: int = 500) -> bool:
        """Stop the speech thread; True if it ended in time."""
        if self.thread is None:
            return True
        self._stop.emit()
        self.thread.quit()
        return self.thread.wait(timeout_ms)
