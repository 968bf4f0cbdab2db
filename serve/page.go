package serve

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/templates"
)

// langMatcher picks the page's language from Accept-Language.
var langMatcher = language.NewMatcher([]language.Tag{language.English, language.Romanian, language.Lithuanian})

// pageLang is the catalogue language for the request's Accept-Language
// (English when it names none of ours).
func pageLang(r *http.Request) i18n.Lang {
	al := r.Header.Get("Accept-Language")
	if len(al) > 1000 {
		al = al[:1000]
	}
	tags, _, err := language.ParseAcceptLanguage(al)
	if err != nil || len(tags) == 0 {
		return i18n.EN
	}
	_, idx, conf := langMatcher.Match(tags...)
	if conf == language.No {
		return i18n.EN
	}
	return []i18n.Lang{i18n.EN, i18n.RO, i18n.LT}[idx]
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mailsetup">
<title>{{.Title}}</title>
<style>
body { margin: 0 auto; max-width: 40rem; padding: 1.5rem; font: 16px/1.45 system-ui, sans-serif; color: #111; }
label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input[type=email] { width: 100%; font: inherit; padding: .4rem; }
button { font: inherit; margin-top: .7rem; padding: .4rem 1rem; }
.err { border-left: 4px solid #b00; background: #fff4f4; padding: .4rem .7rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{- with .Error}}
<p class="err" role="alert">{{.}}</p>
{{- end}}
<p>{{.Intro}}</p>
<form method="get" action="/">
<label for="emailaddress">{{.Label}}</label>
<input type="email" id="emailaddress" name="emailaddress" value="{{.Value}}" required autocomplete="email" autofocus>
<button type="submit">{{.Submit}}</button>
</form>
<p><small>{{.NoPassword}}</small></p>
</body>
</html>
`))

var navTemplate = template.Must(template.New("nav").Parse(`
<nav class="serve-links" style="border:1px solid #999;padding:.5rem .8rem;margin-bottom:1rem">
<strong>{{.Downloads}}</strong>
<a href="{{.Profile}}">{{.ProfileText}}</a> ·
<a href="{{.QR}}">{{.QRText}}</a> ·
<a href="/">{{.Other}}</a>
</nav>`))

// page answers GET /: the form, or with ?emailaddress= the setup sheet
// for the address in the browser's language with links to the profile
// and the QR code.
func (s *Server) page(w http.ResponseWriter, r *http.Request, cfg *Config, req *request) {
	lang := pageLang(r)
	cat := i18n.New(lang)
	form := func(status int, value, errMsg string) {
		var b bytes.Buffer
		err := pageTemplate.Execute(&b, map[string]string{
			"Lang": string(lang), "Title": cat.T("serve.page.title"), "Intro": cat.T("serve.page.intro"),
			"Label": cat.T("serve.page.address"), "Submit": cat.T("serve.page.submit"),
			"NoPassword": cat.T("serve.page.no-password"), "Value": value, "Error": errMsg,
		})
		if err != nil {
			s.fail(w, req, http.StatusInternalServerError, "cannot write the page")
			return
		}
		if errMsg != "" {
			req.err = errMsg
		}
		writeHTML(w, status, b.Bytes())
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || len(q["emailaddress"]) > 1 {
		form(http.StatusBadRequest, "", cat.T("serve.page.bad-address"))
		return
	}
	raw := strings.TrimSpace(q.Get("emailaddress"))
	if raw == "" {
		form(http.StatusOK, "", "")
		return
	}
	addr, err := parseAddress(raw)
	if err != nil {
		value := raw
		if len(value) > MaxAddress || strings.ContainsFunc(value, isControl) {
			value = ""
		}
		form(http.StatusBadRequest, value, cat.T("serve.page.bad-address"))
		return
	}
	req.address, req.domain = addr.String(), addr.Domain()
	p, ok := cfg.byDomain[addr.Domain()]
	if !ok {
		form(http.StatusNotFound, raw, cat.T("serve.page.unknown-domain", addr.Display()))
		return
	}
	sheet, err := s.file(p, addr, "sheet", ".html", templates.Options{Lang: lang})
	if err != nil {
		s.fail(w, req, http.StatusInternalServerError, "cannot write the setup sheet")
		req.err = err.Error()
		return
	}
	v := url.Values{"emailaddress": {addr.String()}}.Encode()
	var nav bytes.Buffer
	err = navTemplate.Execute(&nav, map[string]string{
		"Downloads": cat.T("serve.page.downloads"),
		"Profile":   PathMobileconfig + "?" + v, "ProfileText": cat.T("serve.page.profile"),
		"QR": PathQR + "?" + v, "QRText": cat.T("serve.page.qr"),
		"Other": cat.T("serve.page.other"),
	})
	if err != nil {
		s.fail(w, req, http.StatusInternalServerError, "cannot write the page")
		return
	}
	writeHTML(w, http.StatusOK, insertAfterBody(sheet.Data, nav.Bytes()))
}
