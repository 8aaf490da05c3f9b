//go:build integration

package main

import (
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

// startMoto runs moto_server on 127.0.0.1 (mototest.Start) and returns it as an S3 server.
func startMoto(t *testing.T) s3Server {
	t.Helper()
	return newS3Server(mototest.Start(t))
}

// TestS3OnMoto is TestS3's scenario against moto's S3, the closer imitation of AWS.
func TestS3OnMoto(t *testing.T) {
	m := startMoto(t)
	s3Scenario(t, &m)
}
