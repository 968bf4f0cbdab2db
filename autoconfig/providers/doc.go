// Package providers is mailsetup's built-in mail provider database. It is
// embedded in the binary so that account discovery works offline.
//
// Each provider is one file, <id>.xml, holding a Mozilla autoconfig
// document (config-v1.1) for the provider's own mail domains. Our own
// additions live in a <mailsetup xmlns="urn:mailsetup:provider:1"> element
// after <emailProvider>, which Mozilla parsers ignore:
//
//   - <mx> holds an MX host pattern: "*.example.net" matches any host under
//     example.net, anything else is an exact host name. Hosting companies
//     and business mail (Google Workspace, Microsoft 365, IONOS, ...) are
//     found this way for custom domains.
//   - <note kind="..." url="..."> is one sentence a helpdesk can read out:
//     kind is app-password, oauth2-required, enable-imap, enable-pop3,
//     bridge or info, and url (https) points to the provider's help page.
//
// Servers are listed in preference order, IMAP before POP3. The entries are
// facts written by the mailsetup authors from the providers' own help
// pages (each file's <documentation url>), not copied from other databases.
// The tests in this package check every file's shape and a table of
// well-known settings; the autoconfig package reads FS.
package providers

import "embed"

// FS holds every provider document (*.xml) at its root.
//
//go:embed *.xml
var FS embed.FS
