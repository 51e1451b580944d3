// Fluent UI animates with Element.animate, which happy-dom lacks: without this stub every motion throws an
// unhandled AbortError. Only applies in tests that opt into the happy-dom environment.
if (typeof Element !== 'undefined' && !('animate' in Element.prototype)) {
  Object.defineProperty(Element.prototype, 'animate', {
    value: () => ({ cancel() {}, finish() {}, pause() {}, play() {}, finished: Promise.resolve(), onfinish: null }),
  });
}
