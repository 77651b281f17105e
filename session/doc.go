// Package session is the kiosk's decisions, and only those: the session state machine
// (Machine) and the Core around it — which browser is on screen and which stands by, the
// screens and prompts, the held card, the PIN pad, reloads — as a pure reducer. Each event is a
// method taking the time it happened; it changes the state and queues Effects (start a shell,
// show a screen, wipe, audit, count, log). Package supervisor carries the effects out and
// feeds back what came of them.
package session
