"use strict";
// The floor's process starts as `gigafactory` does, so the two differ only by the program (bench/floor.ts).
require("../bin/load-typescript").registerTypeScript();
require("./floor.ts");
