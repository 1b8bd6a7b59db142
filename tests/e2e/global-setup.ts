/**
 * Global setup of the e2e project. Suites start their own servers (the simulator on
 * 127.0.0.1, apps on localhost) so every test crosses a real origin boundary.
 */
export default function setup(): void {}
