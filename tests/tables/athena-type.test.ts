import { expect } from "chai";
import { canonicalType, parseAthenaType, renderType, isTypeSyntaxError } from "../../tables/athena-type";

function syntaxError(source: string): string {
  try {
    parseAthenaType(source);
  } catch (error) {
    expect(isTypeSyntaxError(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe("Athena type grammar", () => {
  const canonical: [string, string][] = [
    ["string", "string"],
    ["BIGINT", "bigint"],
    ["decimal(12,2)", "decimal(12,2)"],
    ["DECIMAL( 38 , 0 )", "decimal(38,0)"],
    ["map<string,string>", "map<string,string>"],
    ["map < decimal(5,2) , array<int> >", "map<decimal(5,2),array<int>>"],
    [
      "array<struct<product_id:string, quantity:int, unit_price:decimal(10,2), discount:decimal(5,2)>>",
      "array<struct<product_id:string,quantity:int,unit_price:decimal(10,2),discount:decimal(5,2)>>",
    ],
    [
      "struct<a:struct<b:array<map<string,struct<c:timestamp>>>>>",
      "struct<a:struct<b:array<map<string,struct<c:timestamp>>>>>",
    ],
  ];
  for (const [source, expected] of canonical) {
    it(`parses ${source}`, () => {
      expect(renderType(parseAthenaType(source))).to.equal(expected);
    });
  }

  it("builds the tree of a nested type", () => {
    expect(parseAthenaType("map<string,array<decimal(9,3)>>")).to.deep.equal({
      kind: "map",
      key: { kind: "primitive", name: "string" },
      value: { kind: "array", element: { kind: "decimal", precision: 9, scale: 3 } },
    });
  });

  it("quotes struct field names when rendering DDL", () => {
    expect(renderType(parseAthenaType("array<struct<date:date,order:int>>"), true)).to.equal(
      "array<struct<`date`:date,`order`:int>>",
    );
  });

  const refused: [string, string][] = [
    ["", "is empty"],
    ["varchar(10)", '"varchar" at position 0 is not supported for Iceberg tables in Athena; use string'],
    ["tinyint", '"tinyint" at position 0 is not supported for Iceberg tables in Athena; use int'],
    [
      "timestamptz",
      '"timestamptz" at position 0 is Athena DDL declares timestamp (without time zone) only; store UTC',
    ],
    ["array<long>", '"long" at position 6 is Athena DDL spells it "bigint"'],
    ["money", 'unknown type "money" at position 0'],
    [
      "decimal",
      'expected "(" after decimal (precision and scale are required: decimal(p,s)), found end of input at position 7',
    ],
    ["decimal(39,2)", "decimal precision 39 is outside 1-38"],
    ["decimal(5,6)", "decimal scale 6 is above its precision 5"],
    ["decimal(10)", 'expected "," between decimal precision and scale, found ")" at position 10'],
    ["array<int", 'expected ">" to close array<, found end of input at position 9'],
    ["array<int>>", 'unexpected ">" at position 10'],
    ["map<string>", 'expected "," between map key and value types, found ">" at position 10'],
    ["map<array<int>,string>", "map keys must be a primitive type, not array<int>"],
    ["struct<>", 'expected a struct field name, found ">" at position 7'],
    ["struct<a:int,a:string>", 'struct field "a" is declared twice'],
    [
      "struct<Name:string>",
      'struct field name "Name" at position 7 must be lowercase letters, digits and underscores',
    ],
    ["struct<a int>", 'expected ":" after struct field "a", found "int" at position 9'],
    ["string; DROP TABLE x", 'unexpected character ";" at position 6'],
    ["string COMMENT 'x'", `unexpected character "'" at position 15`],
    ["string COMMENT", 'unexpected "COMMENT" at position 7'],
    ["int`", 'unexpected character "`" at position 3'],
    ["array<".repeat(16) + "int" + ">".repeat(16), "nested deeper than 16 levels"],
  ];
  for (const [source, message] of refused) {
    it(`refuses ${JSON.stringify(source.length > 40 ? `${source.slice(0, 40)}...` : source)}`, () => {
      expect(syntaxError(source)).to.equal(message);
    });
  }

  it("keeps a live-only type as it is when canonicalising", () => {
    expect(canonicalType("timestamptz")).to.equal("timestamptz");
    expect(canonicalType("Decimal(10, 2)")).to.equal("decimal(10,2)");
  });
});
