// ESLint flat config: typed TypeScript rules plus Pulumi's rules that catch Outputs in template literals.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
  { ignores: ["node_modules/", "build/", ".venv/", ".cache/", "jobs/", "bench/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Code the dynamic providers run. The engine runs it as Pulumi's function serializer rewrote it
    // (tests/helpers/serialized-provider.ts), which breaks these constructs; each provider test also
    // runs on that form, and tests/serialization-hazards.test.ts scans the serialized text.
    files: [
      "components/iceberg-table/**/*.ts",
      "components/job-scripts/script-upload-provider.ts",
      "components/job-scripts/packaged-file.ts",
      "components/job-scripts/sha256.ts",
      "tables/**/*.ts",
      "components/s3-bucket-name.ts",
      "components/aws-sdk-config.ts",
      "components/aws-sdk-clients.ts",
      "components/aws-sdk-connection-check.ts",
      "components/stable-json.ts",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ClassDeclaration[superClass.name=/Error$/], ClassExpression[superClass.name=/Error$/]",
          message:
            "Serialized, a subclass of Error loses its message (Error.call(this, ...)): use namedError() from tables/named-error.ts",
        },
        {
          selector: "PropertyDefinition[value!=null]",
          message:
            "Serialized, a class field initializer is dropped (only the constructor's text is kept): use a closure or assign in the constructor",
        },
        {
          selector: "PrivateIdentifier, StaticBlock",
          message: "Serialized, #private fields and static blocks break: use a closure",
        },
        {
          selector:
            ":matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > :matches(NewExpression[callee.name!='RegExp'], CallExpression[callee.object.name='Buffer'], CallExpression:has(Identifier[name='z']))",
          message:
            "Serialized, a module-level instance is captured as a plain object and loses its internal state (Map, Set, Date, Buffer, a zod schema, class instances): build it inside the function that uses it",
        },
      ],
    },
  },
  {
    files: ["tests/**/*.ts"],
    rules: {
      // chai's `expect(x).to.be.true` style is an expression statement by design.
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
);
