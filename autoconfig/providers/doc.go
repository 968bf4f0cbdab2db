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
// Servers are listed in preference order, IMAP before POP3. Where
// Thunderbird's ISP database (ISPDB) knows a domain too, an own file's
// servers agree with it (autoconfig's TestBuiltinAgreesWithISPDB checks
// this and lists each intentional difference with its reason).
//
// The folder ispdb holds an unmodified copy of the ISPDB's files
// (MPL-2.0; its LICENSE and README.md are beside them). The autoconfig
// package loads the own files first and then the ISPDB files, which answer
// only the domains no own file lists, so that --offline knows every ISPDB
// domain.
//
// The tests in this package check every own file's shape and a table of
// well-known settings; the autoconfig package reads FS.
package providers

import "embed"

// FS holds mailsetup's own provider documents (*.xml) at its root and
// the ISPDB copy's documents in ispdb/*.xml.
//
//go:embed *.xml ispdb/*.xml
var FS embed.FS
