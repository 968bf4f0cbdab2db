// Package serve publishes configured domains' mail settings at the
// addresses mail clients look at by themselves: Mozilla autoconfig
// (config-v1.1.xml) for Thunderbird, Evolution, KMail and Thunderbird for
// Android, Outlook's POX Autodiscover, Apple .mobileconfig profiles, and
// a small page that gives the setup sheet for an address. It is the
// third flow next to wizard and bulk: it writes no files, it answers
// HTTP requests. The files come from templates, the settings from a
// configuration file (LoadConfig); cmd owns the listeners, TLS and
// signals and mounts Server.Handler.
package serve
