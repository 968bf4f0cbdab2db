package i18n

func init() { catalogs[EN] = en }

// en is the English catalogue, the reference for the others. Keys are
// grouped by prefix: "explain." for `mailsetup explain`, "wizard." for the
// guided setup.
var en = map[string]string{}
