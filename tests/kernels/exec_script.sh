#!/bin/sh
# A shell-script kernel for the exec tests: it prints its first argument as the FoM.
echo "FoM: $1"
