// Package sip2 checks a library card against a library's catalogue over SIP2, the 3M Standard
// Interchange Protocol version 2.00 (3M, 2006; now Bibliotheca's), so that a library kiosk
// starts a session only for a valid patron.
//
// A Client logs in with the unit's SIP credentials (Login 93/94), asks for the server's status
// (SC Status 99/98), then checks each card with Patron Status 23/24 or Patron Information 63/64,
// as the server prefers, optionally with the patron's PIN in AD, checked by CQ. Every message may
// carry a sequence number (AY) and checksum (AZ); with error detection on, the Client checks
// them on each answer. It speaks TCP or TLS, bounds every exchange with a timeout, and
// reconnects (logging in again) once when it finds the connection broken.
//
// The card number and the PIN are the only things of a patron that leave the kiosk, to this
// server only. The Client holds them only for the exchange that sends them and zeroes its
// buffers afterwards; its errors describe what went wrong without quoting anything a server
// sent or was sent.
package sip2
