package i18n

func init() { add(LT, ltServeACME) }

var ltServeACME = map[string]string{
	"err.serve.acme-and-tls":  "--acme-email sertifikatus gauna pats: nenurodykite --tls-cert ir --tls-key",
	"err.serve.acme-and-http": "--acme-email teikia HTTPS: nenurodykite --http (už atvirkštinio tarpinio serverio sertifikatus gaukite jame)",
	"err.serve.acme-flags":    "--acme-directory ir --acme-cache nurodomi tik kartu su --acme-email",
	"err.serve.acme":          "nepavyko paruošti ACME sertifikatų: %v",
}
