package serve

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mailsetup/mailsetup/account"
)

// MaxRequestBody caps an Autodiscover request: a real one is a few
// hundred bytes.
const MaxRequestBody = 64 << 10

// The schema Outlook asks Autodiscover to answer in.
const outlookResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"

// ErrBadRequest is wrapped by every error ParsePOXRequest returns.
var ErrBadRequest = errors.New("bad Autodiscover request")

type poxRequest struct {
	XMLName xml.Name `xml:"Autodiscover"`
	Request struct {
		EMailAddress             string `xml:"EMailAddress"`
		AcceptableResponseSchema string `xml:"AcceptableResponseSchema"`
	} `xml:"Request"`
}

// ParsePOXRequest reads the address from an Outlook POX Autodiscover
// request (<Autodiscover><Request><EMailAddress>). Like autoconfig's
// decodeXML it refuses a DOCTYPE or an entity declaration (so no entity
// expansion), charsets other than UTF-8 and input over MaxRequestBody; a
// request for another response schema than Outlook's (mobile sync) is
// refused too, as only Outlook's is answered.
func ParsePOXRequest(data []byte) (account.Address, error) {
	bad := func(format string, args ...any) (account.Address, error) {
		return account.Address{}, fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
	}
	if len(data) > MaxRequestBody {
		return bad("larger than %d bytes", MaxRequestBody)
	}
	if bytes.Contains(data, []byte("<!DOCTYPE")) || bytes.Contains(data, []byte("<!ENTITY")) {
		return bad("DOCTYPE and entity declarations are not accepted")
	}
	var req poxRequest
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("charset %q is not accepted", label)
	}
	if err := d.Decode(&req); err != nil {
		return bad("%v", err)
	}
	if s := strings.TrimSpace(req.Request.AcceptableResponseSchema); s != "" && s != outlookResponseSchema {
		return bad("only the Outlook response schema is served, not %q", clip(s))
	}
	email := strings.TrimSpace(req.Request.EMailAddress)
	if email == "" {
		return bad("no EMailAddress")
	}
	addr, err := parseAddress(email)
	if err != nil {
		return account.Address{}, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	return addr, nil
}

// MaxAddress caps an address a request gives (RFC 5321 allows 254 bytes in
// a path; the rest is room for Unicode forms).
const MaxAddress = 320

// parseAddress checks an address a request gives: bounded, no control
// characters, no display name, valid.
func parseAddress(s string) (account.Address, error) {
	if len(s) > MaxAddress {
		return account.Address{}, fmt.Errorf("the address is longer than %d bytes", MaxAddress)
	}
	if strings.ContainsFunc(s, isControl) || strings.ContainsAny(s, "<>") {
		return account.Address{}, errors.New("the address holds a control character or angle brackets")
	}
	a, err := account.ParseAddress(s)
	if err != nil {
		return account.Address{}, fmt.Errorf("the address: %w", err)
	}
	return a, nil
}

// clip shortens a value echoed in an error.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}
