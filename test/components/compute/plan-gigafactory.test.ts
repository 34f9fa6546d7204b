import { checkStackPlan } from "../../fixtures/compute/plan-checks";

checkStackPlan("gigafactory");
