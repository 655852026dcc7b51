// The live warning stream (SSE, GET /api/stream). One EventSource per signed-in tab; screens
// subscribe to its events. The browser reconnects by itself and sends Last-Event-ID, so the
// server resumes where it left off; a `reset` tells screens to reload their lists.
import { reactive } from 'vue';
import { session } from './api.js';

export const kStreamEvents = ['new', 'upgraded', 'overdue', 'escalated', 'reminder', 'reset'];

export const streamState = reactive({ connected: false, received: 0 });

let source = null;
const listeners = new Set();

export function onWarningEvent(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function startStream() {
  if (source || !session.token) return;
  source = new EventSource(`/api/stream?access_token=${encodeURIComponent(session.token)}`);
  source.onopen = () => {
    streamState.connected = true;
  };
  source.onerror = () => {
    // EventSource retries on its own; the header shows the gap meanwhile.
    streamState.connected = false;
  };
  for (const type of kStreamEvents) {
    source.addEventListener(type, (e) => {
      let data = {};
      try {
        data = e.data ? JSON.parse(e.data) : {};
      } catch (err) {
        console.warn(`stream: event ${type} with data that is not JSON`, e.data);
        return;
      }
      streamState.received++;
      for (const fn of listeners) fn(type, data);
    });
  }
}

export function stopStream() {
  if (source) source.close();
  source = null;
  streamState.connected = false;
}

// Red warnings must not go unnoticed on a busy desk: a short two-tone beep (Web Audio, no file
// to fetch) and a desktop notification when the user allowed them.
let audio = null;
export function alertRed(warning, title) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const t = audio.currentTime;
    for (const [i, f] of [[0, 880], [1, 660], [2, 880]]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.18);
      osc.stop(t + i * 0.18 + 0.15);
    }
  } catch (e) {
    // No audio device (headless, locked-down desk): the notification and the row still show.
  }
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    const ft = (warning.fraud_type && warning.fraud_type.name) || '';
    new Notification(title, { body: `${warning.subject || ''} ${ft} ${warning.reason || ''}`,
      tag: `fz-warning-${warning.id}` });
  }
}
