// Tests for http.go (upstream engine/http.go at v1.2.0 has no test of its own).
package engine

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeHTTPRunsJobByPathBase(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("version", func(job *Job) Status {
		job.Printf("args=%v\n", job.Args)
		return StatusOK
	}))
	rec := httptest.NewRecorder()
	eng.ServeHTTP(rec, httptest.NewRequest("GET", "/v1.14/version?a=x&a=y", nil))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "version", rec.Header().Get("Job-Name"))
	assert.Equal(t, []string{"x", "y"}, rec.Header()["Job-Args"])
	assert.Contains(t, rec.Body.String(), "args=[x y]")

	rec = httptest.NewRecorder()
	eng.ServeHTTP(rec, httptest.NewRequest("GET", "/nosuch", nil))
	assert.Equal(t, 200, rec.Code, "headers are sent before the job runs")
	assert.Contains(t, rec.Body.String(), "nosuch: command not found")
}
