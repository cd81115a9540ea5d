api_addr = "http://127.0.0.1:8200" # expect: SRV006
disable_mlock = true
