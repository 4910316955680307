module landlocklint.test/threads

go 1.19
