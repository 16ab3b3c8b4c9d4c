import {Environment} from '@marcbachmann/cel-js'
const env = new Environment({limits: {maxDepth: 20}})
  .registerType('Member', {fields: {age: 'int', laborCoefficient: 'double'}})
  .registerType('Household', {fields: {monthlyIncome: 'int'}})
  .registerType('Parameters', {fields: {dibaoStandard: 'int'}})
  .registerVariable('household', 'Household')
  .registerVariable('members', 'list<Member>')
  .registerVariable('param', 'Parameters')
  .registerFunction('min(int, int): int', (a,b)=> a<b?a:b)
  .registerFunction('min(double, double): double', (a,b)=> a<b?a:b)
  .registerFunction('sum(list<int>): int', (l)=> l.reduce((a,b)=>a+b, 0n))
  .registerFunction('sum(list<double>): double', (l)=> l.reduce((a,b)=>a+b, 0))
for (const src of ['min(1,2)', 'min(1.0, 2.5)', 'sum(members.map(m, m.age))', 'household.monthlyIncome / size(members) < param.dibaoStandard', 'household.foo', 'household.monthlyIncome + "a"', '1 + ', 'members.map(m, m.laborCoefficient)', 'sum([])', 'has(household.monthlyIncome)', '"😀".size()', 'string(1.5)', 'double("1e400")', 'members[0].age', 'household["monthlyIncome"]']) {
  const r = env.check(src)
  console.log(src, r.valid, r.type, r.error && {name: r.error.name, code: r.error.code, summary: r.error.summary, range: r.error.range, msg: r.error.message})
}
const p = env.parse('household.monthlyIncome / size(members) < param.dibaoStandard')
p.check()
console.log(p.ast.checkedType.name, p.ast.args[0].checkedType.name, p.ast.args[0].checkedType.kind, p.ast.args[0].checkedType.hasDynType)
try { env.parse('((((((((((((((((((((((1))))))))))))))))))))))') } catch (e) { console.log(e.code, e.summary) }
const e2 = new Environment({unlistedVariablesAreDyn: true})
console.log(e2.evaluate('"😀".size()'), e2.evaluate('string(1.5)'), e2.evaluate('string(100000000000000000000.0)'), e2.evaluate('int("42")'))
console.log(env.evaluate('sum(members.map(m, m.age))', {household: {monthlyIncome: 1n}, members: [{age: 3n}, {age: 4n}], param: {dibaoStandard: 1n}}))
